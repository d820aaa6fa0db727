import type { ActionStatus, GroupMember, RolloutGroupMembersAssignedV1 } from '@fleetwave/contracts';
import { withTransaction } from '@fleetwave/platform';
import { uniqueName } from '@fleetwave/testing';
import { INVENTORY_SCHEMA } from '../../../inventory/inventory.migration';
import { ActionStatusConsumer } from '../../../targets/action-status/action-status.consumer';
import { rolloutFactsFromStreams, RolloutSetsCache } from '../../../targets/action-status/rollout-sets.cache';
import { TargetStatusStore } from '../../../targets/action-status/target-status.store';
import { GroupEventsConsumer } from '../../processes/group-events.consumer';
import { membershipStream, RolloutRepository } from '../../rollout.repository';
import { caller, refusedWith, RolloutCommandsFixture } from '../../testing/rollout-commands.fixture';

/**
 * `RetryRollout` of rollout-command's internal gRPC API (Postgres, the creation worker running),
 * the failed targets recorded by the action-status consumer from action events.
 */
describe('rollout retry over gRPC (Postgres)', () => {
  const fixture = new RolloutCommandsFixture();
  const retry = (rolloutId: number, by = caller('op')) => fixture.command('RetryRollout', rolloutId, by);
  const illegal = {
    exceptionClass: 'RolloutIllegalStateException',
    errorCode: 'hawkbit.server.error.rollout.illegalstate',
  };
  let offset = 0;

  beforeAll(() => fixture.start({ prefix: 'retry', count: 30 }));
  afterAll(() => fixture.stop());

  const deliver = async (
    consumer: { handleBatch: ActionStatusConsumer['handleBatch'] },
    messages: { type: string; data: object }[],
  ) => {
    const items = messages.map((message) => ({
      message: { ...message, metadata: {} },
      context: {
        topic: 't',
        partition: 0,
        offset: String(offset++),
        key: null,
        headers: {},
        messageId: uniqueName('m'),
      },
    }));
    await withTransaction(fixture.pool, (tx) => consumer.handleBatch(items, { topic: 't', partition: 0, tx }));
  };
  const actionEvents = (...messages: { type: string; data: object }[]) => {
    const rollouts = fixture.app.get(RolloutRepository);
    const consumer = new ActionStatusConsumer(
      new TargetStatusStore(INVENTORY_SCHEMA),
      new RolloutSetsCache(rolloutFactsFromStreams(rollouts)),
    );
    return deliver(consumer, messages);
  };
  const groupEvents = (...messages: { type: string; data: object }[]) =>
    deliver(fixture.app.get(GroupEventsConsumer), messages);

  async function startedRollout(name: string, groups = 2): Promise<{ id: number; members: GroupMember[] }> {
    const { id } = await fixture.create({
      name,
      distributionSetId: fixture.distributionSetId,
      targetFilterQuery: 'name==retry-*',
      amountGroups: groups,
      type: 'soft',
      weight: 400,
    });
    await fixture.lastEventIs(id, 'RolloutReady.v1');
    await fixture.command('StartRollout', id);
    return { id, members: await members(id) };
  }

  async function members(rolloutId: number): Promise<GroupMember[]> {
    const events = await fixture.store.readStream(membershipStream(rolloutId));
    return events.flatMap((e) => (e.data as RolloutGroupMembersAssignedV1).members);
  }

  const change = (rolloutId: number, m: GroupMember, from: ActionStatus, to: ActionStatus, at: number) => ({
    type: 'ActionStatusChanged.v1',
    data: {
      actionId: rolloutId * 1000 + m.targetId,
      rolloutId,
      groupId: 1,
      targetId: m.targetId,
      controllerId: m.controllerId,
      from,
      to,
      at,
    },
  });
  const scheduled = (rolloutId: number, count: number) => ({
    type: 'ActionsScheduled.v1',
    data: { rolloutId, groupId: 1, count },
  });
  const finish = (rolloutId: number) =>
    groupEvents({ type: 'RolloutGroupsCompleted.v1', data: { rolloutId, completedAt: Date.now() } });

  it('creates `<name>_retry` over exactly the failed targets: creating, then ready with one group', async () => {
    const name = uniqueName('fw');
    const { id, members: all } = await startedRollout(name);
    expect(all).toHaveLength(30);
    const failed = all.filter((_, i) => i % 3 === 0);

    expect(await refusedWith(retry(id))).toEqual({ status: 400, body: { ...illegal, message: expect.any(String) } });

    await actionEvents(
      scheduled(id, all.length),
      ...all.map((m) => change(id, m, 'scheduled', 'running', 10)),
      ...all.map((m) => change(id, m, 'running', failed.includes(m) ? 'error' : 'finished', 20)),
    );
    await finish(id);
    await fixture.lastEventIs(id, 'RolloutFinished.v1');

    const retried = (await retry(id)).rollout as { id: number };
    expect(retried).toMatchObject({
      name: `${name}_retry`,
      status: 'creating',
      targetFilterQuery: `failedrollout==${id}`,
      distributionSetId: fixture.distributionSetId,
      totalTargets: failed.length,
      type: 'soft',
      weight: 400,
      createdBy: 'op',
    });
    const retryId = retried.id;
    expect(retryId).not.toBe(id);
    await fixture.lastEventIs(retryId, 'RolloutReady.v1');
    const [createdEvent, readyEvent] = await fixture.events(retryId);
    expect((createdEvent.data.groups as unknown[]).length).toBe(1);
    expect(readyEvent.data.totalTargets).toBe(failed.length);
    expect(await members(retryId)).toEqual([...failed].sort((a, b) => a.targetId - b.targetId));
    // The retried rollout itself is unchanged, and its retry exists once (hawkBit's duplicate name).
    expect((await fixture.events(id)).at(-1)?.type).toBe('RolloutFinished.v1');
    expect(await refusedWith(retry(id))).toMatchObject({ status: 409 });
  });

  it('refuses a finished rollout none of whose targets failed with 400', async () => {
    const { id, members: all } = await startedRollout(uniqueName('ok'), 1);
    await actionEvents(
      scheduled(id, all.length),
      ...all.map((m) => change(id, m, 'scheduled', 'running', 10)),
      ...all.map((m) => change(id, m, 'running', 'finished', 20)),
    );
    await finish(id);
    await fixture.lastEventIs(id, 'RolloutFinished.v1');
    expect(await refusedWith(retry(id))).toEqual({
      status: 400,
      body: { ...illegal, message: `rollout ${id} has no failed targets to retry` },
    });
  });

  it('waits, bounded, for the last outcomes of a just-finished rollout before choosing the targets', async () => {
    const name = uniqueName('late');
    const { id, members: all } = await startedRollout(name, 1);
    const [last, ...rest] = all;
    await actionEvents(
      scheduled(id, all.length),
      ...all.map((m) => change(id, m, 'scheduled', 'running', 10)),
      ...rest.map((m) => change(id, m, 'running', 'finished', 20)),
    );
    await finish(id);
    await fixture.lastEventIs(id, 'RolloutFinished.v1');

    const asked = retry(id);
    // The last device's failure reaches this service after the retry was asked for.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await actionEvents(change(id, last, 'running', 'error', 30));
    const answer = (await asked).rollout as { id: number };
    expect(answer).toMatchObject({ name: `${name}_retry`, totalTargets: 1 });
    await fixture.lastEventIs(answer.id, 'RolloutReady.v1');
    expect(await members(answer.id)).toEqual([last]);
  });
});
