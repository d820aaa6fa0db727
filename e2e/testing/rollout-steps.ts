import { eventually, FleetwaveClient, RolloutView } from '@fleetwave/testing';

/**
 * Steps the e2e specs share: fleets of simulated devices, rollouts over them, waiting for states.
 * Devices of one kind are registered (and their targets created) before the next kind, so that
 * the auto split, which takes targets in id order, puts them in known groups.
 */

export const admin = new FleetwaveClient();

export type Behaviour = 'succeed' | 'fail' | 'hold' | 'reject-cancel' | 'confirm' | 'deny';

/** Registers `[kind, count]` runs in order, each fully registered before the next. */
export async function fleet(prefix: string, ...runs: [Behaviour, number][]): Promise<void> {
  let expected = 0;
  for (const [index, [behaviour, count]] of runs.entries()) {
    await admin.registerDevices(`${prefix}-${index}${behaviour}`, count, behaviour);
    expected += count;
    await eventually(async () => expect(await admin.countTargets(`controllerId==${prefix}-*`)).toBe(expected), {
      timeoutMs: 60_000,
      description: `registration of ${prefix} run ${index}`,
    });
  }
}

export interface GroupState {
  status: string;
  totalTargets: number;
  totalTargetsPerStatus: RolloutView['totalTargetsPerStatus'];
}

export interface CreateOptions {
  /** Name of the rollout (and its distribution set); the fleet's prefix by default. */
  name?: string;
  client?: FleetwaveClient;
  /** The state creation ends in. */
  status?: string;
}

/** Creates a rollout over the fleet `prefix` and waits until its creation is done. */
export async function createReadyRollout(
  prefix: string,
  body: Record<string, unknown>,
  { name = prefix, client = admin, status = 'ready' }: CreateOptions = {},
): Promise<number> {
  const distributionSetId = await admin.createDistributionSet(name);
  const created = await client.expect<RolloutView>(201, 'POST', '/rollouts', {
    name,
    distributionSetId,
    targetFilterQuery: `controllerId==${prefix}-*`,
    ...body,
  });
  await untilStatus(created.id, status);
  return created.id;
}

export const untilStatus = (id: number, status: string, timeoutMs = 60_000): Promise<RolloutView> =>
  eventually(
    async () => {
      const view = await admin.rollout(id);
      expect(view.status).toBe(status);
      return view;
    },
    { timeoutMs, intervalMs: 200, description: `rollout ${id} ${status}` },
  );

export const groupStatuses = async (id: number): Promise<string[]> =>
  (await admin.deployGroups(id)).map((g: GroupState) => g.status);

export const untilGroups = (id: number, statuses: string[], timeoutMs = 60_000): Promise<string[]> =>
  eventually(
    async () => {
      const actual = await groupStatuses(id);
      expect(actual).toEqual(statuses);
      return actual;
    },
    { timeoutMs, intervalMs: 200, description: `rollout ${id} groups ${statuses.join(',')}` },
  );

export const command = (id: number, verb: string, client = admin) => client.call(`POST`, `/rollouts/${id}/${verb}`);
