import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The services scripts/cluster.sh runs, with the port variable and default port of each. */
export const clusterServices = {
  gateway: { portVariable: 'GATEWAY_PORT', defaultPort: 8080 },
  'rollout-command': { portVariable: 'ROLLOUT_COMMAND_PORT', defaultPort: 8081 },
  'group-orchestrator': { portVariable: 'GROUP_ORCHESTRATOR_PORT', defaultPort: 8082 },
  'action-dispatch': { portVariable: 'ACTION_DISPATCH_PORT', defaultPort: 8083 },
  reporting: { portVariable: 'REPORTING_PORT', defaultPort: 8084 },
  'device-simulator': { portVariable: 'DEVICE_SIMULATOR_PORT', defaultPort: 8085 },
} as const;

export type ServiceName = keyof typeof clusterServices;

export const serviceNames = Object.keys(clusterServices) as ServiceName[];

/** The repository root (this file lives in libs/testing/src). */
export const repositoryRoot = (): string => resolve(__dirname, '../../..');

/** Where the scripts keep data, logs and pids (`FLEETWAVE_LOCAL_DIR`, default `.local`). */
export const localDir = (): string => resolve(repositoryRoot(), process.env.FLEETWAVE_LOCAL_DIR ?? '.local');

export function servicePort(service: ServiceName): number {
  const { portVariable, defaultPort } = clusterServices[service];
  return Number(process.env[portVariable] ?? defaultPort);
}

/** The pid scripts/cluster.sh recorded for a service, or undefined when there is none. */
export function servicePid(service: ServiceName): number | undefined {
  try {
    const pid = Number(readFileSync(join(localDir(), 'run', `${service}.pid`), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** HTTP status of a service's health endpoint; 0 when nothing answers. */
export async function healthStatus(service: ServiceName, kind: 'live' | 'ready'): Promise<number> {
  try {
    const response = await fetch(`http://127.0.0.1:${servicePort(service)}/health/${kind}`, {
      signal: AbortSignal.timeout(2_000),
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

/** Resident memory of a process from /proc, in KiB: now (`VmRSS`) and its peak so far (`VmHWM`). */
export function processMemoryKb(pid: number): { rssKb: number; peakRssKb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    return { rssKb: field('VmRSS'), peakRssKb: field('VmHWM') };
  } catch {
    return undefined;
  }
}
