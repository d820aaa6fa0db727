import type { Admin } from 'kafkajs';
import { Pool } from 'pg';
import { serviceNames, testDatabaseUrl, type ServiceName } from '@fleetwave/testing';
import {
  kafkaPid,
  killHard,
  killService,
  pgCtlImmediate,
  postmasterPid,
  runScript,
  runScriptUntilOk,
  sleep,
} from './process-control';
import { clusterConsumerGroups, consumerGroupsOf, snapshotOffsets, waitConsuming, waitReady } from './recovery';

/** What one injected fault cost: how long the restart took and when things answered and consumed again. */
export interface Recovery {
  fault: string;
  /** Settled actions of the rollout when the fault hit (-1 during creation). */
  atSettled: number;
  /** Duration of the restart command (scripts/cluster.sh restart or scripts/infra.sh start). */
  restartMs: number;
  /** From the restart's beginning until readiness 200, per service that had to recover. */
  readyMs: Partial<Record<ServiceName, number | null>>;
  /** From the restart's beginning until a consumer group of the affected services committed again. */
  consumingMs: number | null;
}

export interface FaultContext {
  admin: Admin;
  /** Called after the device simulator restarted: its devices live in memory and must be registered again. */
  reRegisterDevices(): Promise<void>;
  /**
   * Aborted once the rollout has finished: a consumer that has not committed again by then had
   * nothing left to consume, so its `consumingMs` stays null instead of waiting out the bound.
   */
  rolloutDone: AbortSignal;
}

/**
 * A fault's recovery once the restart is done and readiness is back; `consuming` settles later
 * (it fills in `consumingMs`), so the rollout goes on while it is measured.
 */
export interface Injected {
  recovery: Recovery;
  consuming: Promise<void>;
}

export interface Fault {
  name: string;
  inject(ctx: FaultContext, atSettled: number): Promise<Injected>;
}

function measureConsuming(recovery: Recovery, measure: Promise<number | undefined>): Injected {
  return { recovery, consuming: measure.then((ms) => void (recovery.consumingMs = ms ?? null)) };
}

/** SIGKILL of one service, restarted with scripts/cluster.sh restart. */
export function serviceKill(service: ServiceName): Fault {
  return {
    name: `sigkill ${service}`,
    async inject({ admin, reRegisterDevices, rolloutDone }, atSettled) {
      const groups = await consumerGroupsOf(admin, service);
      await killService(service);
      const before = await snapshotOffsets(admin, groups);
      const started = Date.now();
      const restart = runScript('cluster', ['restart', service]);
      const ready = await waitReady(service, started);
      const restartMs = await restart;
      if (service === 'device-simulator') await reRegisterDevices();
      const recovery: Recovery = {
        fault: this.name,
        atSettled,
        restartMs,
        readyMs: { [service]: ready ?? null },
        consumingMs: null,
      };
      return measureConsuming(recovery, waitConsuming(admin, groups, before, started, 60_000, rolloutDone));
    },
  };
}

/** An infrastructure crash: `crash()` kills it, scripts/infra.sh start brings it back, services recover alone. */
function infrastructureCrash(name: string, crash: () => Promise<void>): Fault {
  return {
    name,
    async inject({ admin, rolloutDone }, atSettled) {
      const groups = await clusterConsumerGroups(admin);
      const before = await snapshotOffsets(admin, groups);
      await crash();
      await sleep(1_000);
      const started = Date.now();
      const restartMs = await runScriptUntilOk('infra', ['start']);
      const ready = await Promise.all(serviceNames.map((s) => waitReady(s, started, 180_000)));
      const recovery: Recovery = {
        fault: name,
        atSettled,
        restartMs,
        readyMs: Object.fromEntries(serviceNames.map((s, i) => [s, ready[i] ?? null])),
        consumingMs: null,
      };
      return measureConsuming(recovery, waitConsuming(admin, groups, before, started, 120_000, rolloutDone));
    },
  };
}

export const kafkaKill = (): Fault => infrastructureCrash('sigkill kafka', () => killHard(kafkaPid(), 'Kafka'));

export const postmasterKill = (): Fault =>
  infrastructureCrash('sigkill postgres postmaster', async () => {
    const dataDirectory = await postgresDataDirectory();
    await killHard(postmasterPid(dataDirectory), 'the postmaster');
  });

export const postgresImmediateStop = (): Fault =>
  infrastructureCrash('pg_ctl stop -m immediate', async () => pgCtlImmediate(await postgresDataDirectory()));

async function postgresDataDirectory(): Promise<string> {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 1 });
  try {
    const { rows } = await pool.query<{ data_directory: string }>('show data_directory');
    return rows[0].data_directory;
  } finally {
    await pool.end();
  }
}
