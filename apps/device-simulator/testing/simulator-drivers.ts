import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { readPlatformConfig } from '@fleetwave/platform';
import { eventually } from '@fleetwave/testing';
import type { DeviceRange } from '../src/devices/device-registry';
import type { SimulatorConfig } from '../src/devices/simulator.config';
import { SimulatorRuntime } from '../src/devices/simulator.runtime';

/** One simulator life, from start to stop, as the fleet scenario drives and measures it. */
export interface SimulatorDriver {
  start(): Promise<void>;
  register(range: DeviceRange): Promise<void>;
  /** CPU seconds the simulator has used so far. */
  cpuSeconds(): number;
  /** Largest resident set so far, in MiB. */
  peakRssMb(): number;
  stop(): Promise<void>;
}

export type SimulatorDriverFactory = (config: SimulatorConfig) => SimulatorDriver;

/** The runtime in this process; CPU and memory are this process's. Stops gracefully. */
export const inProcessSimulator: SimulatorDriverFactory = (config) => {
  const runtime = new SimulatorRuntime(readPlatformConfig('device-simulator', 8085), config);
  return {
    start: () => {
      runtime.onApplicationBootstrap();
      return runtime.joined();
    },
    register: (range) => runtime.register(range, {}),
    cpuSeconds: () => {
      const used = process.cpuUsage();
      return (used.user + used.system) / 1e6;
    },
    peakRssMb: () => Math.round(process.resourceUsage().maxRSS / 1024),
    stop: () => runtime.onApplicationShutdown(),
  };
};

/**
 * The real service (`src/main.ts`) as a child process on the given topics, registered through
 * its HTTP API, measured from /proc, and stopped with SIGKILL: nothing is flushed or saved on
 * the way out, as in a crash.
 */
export const childProcessSimulator: SimulatorDriverFactory = (config) => {
  let child: ChildProcess | undefined;
  let base = '';
  let output = '';
  const proc = (file: string): string => readFileSync(`/proc/${child?.pid}/${file}`, 'utf8');
  return {
    async start() {
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/device-simulator/src/main.ts'], {
        env: {
          ...process.env,
          NO_COLOR: '1',
          DEVICE_SIMULATOR_PORT: String(port),
          DEVICE_SIMULATOR_INBOUND_TOPIC: config.inboundTopic,
          DEVICE_SIMULATOR_OUTBOUND_TOPIC: config.outboundTopic,
          DEVICE_SIMULATOR_GROUP_ID: config.groupId,
          DEVICE_SIMULATOR_STATE_FILE: config.stateFile ?? 'none',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const keep = (chunk: Buffer): void => void (output = (output + chunk.toString()).slice(-4_000));
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
      await eventually(
        async () => {
          if (child?.exitCode !== null) throw new Error(`simulator exited: ${output}`);
          const response = await fetch(`${base}/health/ready`);
          if (response.status !== 200) throw new Error(`not ready: ${response.status}`);
        },
        { timeoutMs: 120_000, intervalMs: 200, description: 'simulator process ready' },
      ).catch((error: Error) => {
        throw new Error(`${error.message}\n${output}`);
      });
    },
    async register(range) {
      const response = await fetch(`${base}/simulator/devices`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          prefix: range.prefix,
          count: range.count,
          start: range.start,
          behaviour: range.behaviour,
        }),
      });
      if (response.status !== 201) throw new Error(`registration failed: ${response.status} ${await response.text()}`);
    },
    cpuSeconds() {
      // Fields 14 and 15 of /proc/<pid>/stat (user and system time), counted after the name.
      const fields = proc('stat')
        .slice(proc('stat').lastIndexOf(')') + 2)
        .split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    peakRssMb() {
      const kb = /VmHWM:\s+(\d+) kB/.exec(proc('status'))?.[1];
      return Math.round(Number(kb) / 1024);
    },
    async stop() {
      if (!child || child.exitCode !== null) return;
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
