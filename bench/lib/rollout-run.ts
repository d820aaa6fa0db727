import type { Admin, Kafka } from 'kafkajs';
import { Topics } from '@fleetwave/contracts';
import {
  createRollout,
  pollRollout,
  registerFleet,
  scanTopicRange,
  settledCount,
  topicEndOffsets,
  uniqueName,
  type FleetwaveClient,
  type GroupView,
  type PartitionOffsets,
  type RolloutView,
  type TopicRecord,
} from '@fleetwave/testing';
import {
  emptyObservations,
  observeActionEvent,
  observeGroupEvent,
  observeInbound,
  observeOutbound,
  type Observations,
} from './observations';

/** The topics a run reads back afterwards, for timestamps and exact counts. */
const recordedTopics = {
  outbound: Topics.deviceOutbound,
  inbound: Topics.deviceInbound,
  actionEvents: Topics.actionEvents,
  groupEvents: Topics.rolloutGroupEvents,
} as const;

type Recorded = keyof typeof recordedTopics;

/** Everything one rollout through the cluster left behind: wall-clock marks, read-model polls, topic records. */
export interface RolloutRun {
  prefix: string;
  devices: number;
  groups: number;
  threshold: number;
  rolloutId: number;
  registrationMs: number;
  createdAt: number;
  readyAt: number;
  startedAt: number;
  finishedVisibleAt: number;
  /** Settled (final-state) action count the REST API showed, and when. */
  polls: { at: number; settled: number }[];
  finalView: RolloutView;
  groupViews: GroupView[];
  observed: Observations;
}

export interface RunPlan {
  devices: number;
  groups: number;
  threshold?: number;
  log?: (line: string) => void;
}

/**
 * Registers a fleet, creates a rollout over it, starts it and waits for `finished`; the topics
 * are read back only afterwards, so reading them costs the measured run nothing.
 */
export async function runRollout(client: FleetwaveClient, kafka: Kafka, plan: RunPlan): Promise<RolloutRun> {
  const log = plan.log ?? (() => undefined);
  const threshold = plan.threshold ?? 100;
  const prefix = uniqueName('bench');
  log(`registering ${plan.devices} devices (${prefix}-…)`);
  const registeredAt = Date.now();
  await registerFleet(client, prefix, plan.devices);
  const registrationMs = Date.now() - registeredAt;

  const admin = kafka.admin();
  await admin.connect();
  const from = await endOffsets(admin);

  const createdAt = Date.now();
  const rolloutId = await createRollout(client, { prefix, groups: plan.groups, threshold });
  await pollRollout(client, rolloutId, (view) => view.status === 'ready', { intervalMs: 25 });
  const readyAt = Date.now();
  log(`rollout ${rolloutId} ready after ${readyAt - createdAt} ms; starting`);

  const polls: RolloutRun['polls'] = [];
  const startedAt = Date.now();
  await client.expect(204, 'POST', `/rollouts/${rolloutId}/start`);
  let lastLogged = 0;
  const finalView = await pollRollout(client, rolloutId, (view) => view.status === 'finished', {
    intervalMs: 100,
    timeoutMs: 3_600_000,
    onView: (view, at) => {
      polls.push({ at, settled: settledCount(view) });
      if (at - lastLogged > 5_000) {
        lastLogged = at;
        log(`rollout ${rolloutId} ${view.status}: ${JSON.stringify(view.totalTargetsPerStatus)}`);
      }
    },
  });
  const finishedVisibleAt = Date.now();
  log(`rollout ${rolloutId} finished after ${finishedVisibleAt - startedAt} ms; reading the topics back`);

  const groupViews = await client.deployGroups(rolloutId);
  const to = await endOffsets(admin);
  await admin.disconnect();
  const observed = emptyObservations();
  const observers: Record<Recorded, (record: TopicRecord) => void> = {
    outbound: (record) => observeOutbound(observed, record, rolloutId),
    inbound: (record) => observeInbound(observed, record, prefix),
    actionEvents: (record) => observeActionEvent(observed, record, rolloutId),
    groupEvents: (record) => observeGroupEvent(observed, record, rolloutId),
  };
  for (const [name, topic] of Object.entries(recordedTopics) as [Recorded, string][]) {
    await scanTopicRange(kafka, topic, { from: from[name], to: to[name] }, observers[name]);
  }
  return {
    prefix,
    devices: plan.devices,
    groups: plan.groups,
    threshold,
    rolloutId,
    registrationMs,
    createdAt,
    readyAt,
    startedAt,
    finishedVisibleAt,
    polls,
    finalView,
    groupViews,
    observed,
  };
}

async function endOffsets(admin: Admin): Promise<Record<Recorded, PartitionOffsets>> {
  const out = {} as Record<Recorded, PartitionOffsets>;
  for (const [name, topic] of Object.entries(recordedTopics) as [Recorded, string][])
    out[name] = await topicEndOffsets(admin, topic);
  return out;
}
