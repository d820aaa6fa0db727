import { Pool } from 'pg';
import type { BatchItem } from '@fleetwave/messaging';
import { withTransaction } from '@fleetwave/platform';
import type { Envelope } from '@fleetwave/service-kit';
import { testDatabaseUrl } from '@fleetwave/testing';
import type { RolloutCommand } from '../domain/rollout.decider';
import { StartedGroupsStore } from '../started-groups.store';
import { GroupEventsConsumer } from './group-events.consumer';
import { RolloutCreationWorker } from './rollout-creation.worker';
import { CreationFixture } from './testing/creation.fixture';

const T = 1_700_000_000_000;
let offset = 0;
const item = (message: Envelope): BatchItem<Envelope> => {
  const at = offset++;
  return {
    message,
    context: {
      topic: 'rollout-group.events.v1',
      partition: 0,
      offset: String(at),
      key: null,
      headers: {},
      messageId: `group-events:0:${at}`,
    },
  };
};
const completed = (rolloutId: number): Envelope => ({
  type: 'RolloutGroupsCompleted.v1',
  data: { rolloutId, completedAt: T },
  metadata: {},
});
const pauseRequested = (rolloutId: number, groupId: number): Envelope => ({
  type: 'RolloutPauseRequested.v1',
  data: {
    rolloutId,
    groupId,
    index: 1,
    cause: 'ERROR_CONDITION',
    condition: { condition: 'ERROR_COUNT', expression: 0 },
    total: 10,
    finished: 2,
    error: 1,
    cancelled: 0,
    requestedAt: T + 1,
  },
  metadata: {},
});
const groupStarted = (rolloutId: number, groupId: number): Envelope => ({
  type: 'RolloutGroupStarted.v1',
  data: { rolloutId, groupId, index: 1, startedAt: T },
  metadata: {},
});

describe('GroupEventsConsumer as a batch handler (Postgres)', () => {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 4 });
  const fixture = new CreationFixture(pool);
  const startedGroups = new StartedGroupsStore(fixture.schema);
  const consumer = new GroupEventsConsumer(fixture.rollouts, startedGroups);
  const run = (messages: Envelope[]) => {
    const items = messages.map(item);
    return withTransaction(pool, (tx) =>
      consumer.handleBatch(items, { topic: items[0].context.topic, partition: 0, tx }),
    );
  };
  const types = async (rolloutId: number) => (await fixture.rolloutEvents(rolloutId)).map((e) => e.type);
  const lifecycle = (rolloutId: number, command: RolloutCommand) =>
    fixture.rollouts.handle(rolloutId, command, { actor: 'test' });
  const request = (rolloutId: number) => ({ rolloutId, requestedAt: T, requestedBy: 'op' });
  const running = ['RolloutCreated.v1', 'RolloutReady.v1', 'RolloutStarted.v1'];

  beforeAll(async () => {
    await fixture.migrate();
    await fixture.seedTargets('grp', 40);
    const worker = new RolloutCreationWorker(pool, fixture.step(), fixture.progress);
    for (const id of [1, 2, 3, 4, 5, 6]) {
      await fixture.createRollout(id, 'name==grp-*', 2);
      while (await worker.runOnce());
      await lifecycle(id, { type: 'StartRollout', data: { rolloutId: id, startedAt: T, startedBy: 't' } });
    }
    await lifecycle(2, { type: 'StopRollout', data: request(2) });
    await lifecycle(3, { type: 'DeleteRollout', data: request(3) });
  });
  afterAll(async () => {
    await fixture.dispose();
    await pool.end();
  });

  it('ends each rollout as what it was heading for once every group is done, ignoring repeats', async () => {
    const result = await run([completed(1), completed(2), completed(3), completed(1)]);

    expect(result.ignored).toEqual([`group-events:0:${offset - 1}`]);
    expect(await types(1)).toEqual([...running, 'RolloutFinished.v1']);
    expect(await types(2)).toEqual([...running, 'RolloutStopping.v1', 'RolloutStopped.v1']);
    expect(await types(3)).toEqual([...running, 'RolloutDeleting.v1', 'RolloutDeleted.v1']);
    const events = await fixture.rolloutEvents(2);
    expect(events[4].data).toEqual({ rolloutId: 2, stoppedAt: T });

    // Redelivered in a later batch, a completion changes nothing.
    expect((await run([completed(2)])).ignored).toHaveLength(1);
    expect(await fixture.rolloutEvents(2)).toHaveLength(5);
  });

  it('pauses a running rollout on the workflow’s request, with cause and group, and ignores a request that no longer applies', async () => {
    const result = await run([pauseRequested(4, 401), pauseRequested(4, 402), pauseRequested(1, 101)]);

    // The second request meets a rollout the first one paused (same batch); rollout 1 has finished.
    expect(result.ignored).toEqual([`group-events:0:${offset - 2}`, `group-events:0:${offset - 1}`]);
    const events = await fixture.rolloutEvents(4);
    expect(events.map((e) => e.type)).toEqual([...running, 'RolloutPaused.v1']);
    expect(events[3].data).toEqual({
      rolloutId: 4,
      pausedAt: T + 1,
      pausedBy: 'system',
      cause: 'ERROR_CONDITION',
      groupId: 401,
    });
  });

  it('applies a pause and a completion of one rollout in one batch, in order', async () => {
    await run([pauseRequested(5, 501), completed(5)]);
    expect(await types(5)).toEqual([...running, 'RolloutPaused.v1', 'RolloutFinished.v1']);
  });

  it('records started groups once each, for the whole batch', async () => {
    await run([groupStarted(6, 601), groupStarted(6, 602), groupStarted(6, 601), groupStarted(1, 101)]);
    expect(await startedGroups.count(pool, 6)).toBe(2);
    expect(await startedGroups.count(pool, 1)).toBe(1);
    await run([groupStarted(6, 602)]);
    expect(await startedGroups.count(pool, 6)).toBe(2);
    // A group start is no change to the rollout's stream.
    expect(await types(6)).toEqual(running);
  });
});
