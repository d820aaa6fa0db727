import type { Admin } from 'kafkajs';
import { healthStatus, serviceNames, type ServiceName } from '@fleetwave/testing';
import { sleep } from './process-control';

/** The Kafka consumer groups a service runs: its name as prefix (`reporting.read-model`) or the name itself. */
export async function consumerGroupsOf(admin: Admin, service: ServiceName): Promise<string[]> {
  const { groups } = await admin.listGroups();
  return groups.map((g) => g.groupId).filter((id) => id === service || id.startsWith(`${service}.`));
}

/** Every consumer group of the cluster's services. */
export async function clusterConsumerGroups(admin: Admin): Promise<string[]> {
  const all = await Promise.all(serviceNames.map((s) => consumerGroupsOf(admin, s)));
  return all.flat();
}

/** Committed offsets of a group, as `topic:partition → offset`. */
export async function committedOffsets(admin: Admin, groupId: string): Promise<Map<string, bigint>> {
  const offsets = new Map<string, bigint>();
  for (const topic of await admin.fetchOffsets({ groupId })) {
    for (const p of topic.partitions)
      if (Number(p.offset) >= 0) offsets.set(`${topic.topic}:${p.partition}`, BigInt(p.offset));
  }
  return offsets;
}

/** Messages a group has not committed yet, over every topic it has offsets for. */
export async function groupLag(admin: Admin, groupId: string): Promise<number> {
  let lag = 0n;
  const committed = await admin.fetchOffsets({ groupId });
  for (const topic of committed) {
    const ends = new Map((await admin.fetchTopicOffsets(topic.topic)).map((o) => [o.partition, BigInt(o.high)]));
    for (const p of topic.partitions) {
      const end = ends.get(p.partition) ?? 0n;
      const at = Number(p.offset) >= 0 ? BigInt(p.offset) : 0n;
      if (end > at) lag += end - at;
    }
  }
  return Number(lag);
}

/** Milliseconds from `since` until the service's readiness answers 200; undefined when the bound passes. */
export async function waitReady(service: ServiceName, since: number, timeoutMs = 120_000): Promise<number | undefined> {
  while (Date.now() - since < timeoutMs) {
    if ((await healthStatus(service, 'ready')) === 200) return Date.now() - since;
    await sleep(50);
  }
  return undefined;
}

/**
 * Milliseconds from `since` until any of the groups commits past `before` (the service consumes
 * again); undefined when the bound passes or `until` is aborted first, which is what happens
 * when there was nothing left to consume.
 */
export async function waitConsuming(
  admin: Admin,
  groups: string[],
  before: Map<string, Map<string, bigint>>,
  since: number,
  timeoutMs = 60_000,
  until?: AbortSignal,
): Promise<number | undefined> {
  if (groups.length === 0) return undefined;
  while (Date.now() - since < timeoutMs && !until?.aborted) {
    for (const group of groups) {
      try {
        const now = await committedOffsets(admin, group);
        const was = before.get(group) ?? new Map();
        for (const [key, offset] of now) if (offset > (was.get(key) ?? -1n)) return Date.now() - since;
      } catch {
        // the broker may still be coming back
      }
    }
    await sleep(100);
  }
  return undefined;
}

export async function snapshotOffsets(admin: Admin, groups: string[]): Promise<Map<string, Map<string, bigint>>> {
  const out = new Map<string, Map<string, bigint>>();
  for (const group of groups) out.set(group, await committedOffsets(admin, group).catch(() => new Map()));
  return out;
}
