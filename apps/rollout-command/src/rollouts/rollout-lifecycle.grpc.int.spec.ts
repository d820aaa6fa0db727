import { withTransaction } from '@fleetwave/platform';
import { uniqueName } from '@fleetwave/testing';
import { GroupEventsConsumer } from './processes/group-events.consumer';
import { RolloutCreationWorker } from './processes/rollout-creation.worker';
import { caller, refusedWith, RolloutCommandsFixture } from './testing/rollout-commands.fixture';

/**
 * The rollout lifecycle through rollout-command's internal gRPC API (Postgres, the creation
 * worker running): each command's answer or refusal with hawkBit's status and body, and the
 * events it records.
 */
describe('rollout lifecycle over gRPC (Postgres)', () => {
  const fixture = new RolloutCommandsFixture();
  const illegal = {
    status: 400,
    body: {
      exceptionClass: 'RolloutIllegalStateException',
      errorCode: 'hawkbit.server.error.rollout.illegalstate',
      message: expect.any(String),
    },
  };
  const notFound = {
    status: 404,
    body: {
      exceptionClass: 'EntityNotFoundException',
      errorCode: 'hawkbit.server.error.repo.entitiyNotFound',
      message: expect.any(String),
    },
  };

  beforeAll(() => fixture.start({ prefix: 'life', count: 30 }));
  afterAll(() => fixture.stop());

  async function create(name = uniqueName('r')): Promise<number> {
    const body = {
      name,
      distributionSetId: fixture.distributionSetId,
      targetFilterQuery: 'name==life-*',
      amountGroups: 2,
    };
    return (await fixture.create(body, caller('creator'))).id;
  }

  async function ready(): Promise<number> {
    const id = await create();
    await fixture.lastEventIs(id, 'RolloutReady.v1');
    return id;
  }

  /** A command's answer: the rollout's position after the write. */
  const done = (id: number) => ({ rolloutId: id, revision: expect.any(Number) });
  const update = (rolloutId: number, change: { name: string; description?: string }, by = caller('editor')) =>
    fixture.commands.call('UpdateRollout', { caller: by, rolloutId, ...change });

  /** Delivers group-workflow events to the app's consumer, as Kafka would. */
  async function groupEvents(...messages: { type: string; data: Record<string, unknown> }[]) {
    const consumer = fixture.app.get(GroupEventsConsumer);
    const items = messages.map((message, i) => ({
      message: { ...message, metadata: {} },
      context: { topic: 't', partition: 0, offset: String(i), key: null, headers: {}, messageId: uniqueName('m') },
    }));
    await withTransaction(fixture.pool, (tx) => consumer.handleBatch(items, { topic: 't', partition: 0, tx }));
  }

  it('refuses to start a rollout while it is still creating, and starts it once ready', async () => {
    // The creation worker held: the rollout stays creating until it runs again.
    const worker = fixture.app.get(RolloutCreationWorker);
    await worker.stop();
    let id: number;
    try {
      id = await create();
      expect((await fixture.events(id)).map((e) => e.type)).toEqual(['RolloutCreated.v1']);
      expect(await refusedWith(fixture.command('StartRollout', id))).toEqual(illegal);
      expect((await fixture.events(id)).map((e) => e.type)).toEqual(['RolloutCreated.v1']);
    } finally {
      worker.start();
    }
    worker.wake();
    await fixture.lastEventIs(id, 'RolloutReady.v1');
    expect(await fixture.command('StartRollout', id)).toEqual(done(id));
  });

  it('starts, pauses, resumes, triggers the next group and stops a rollout, refusing repeats with 400', async () => {
    const id = await ready();
    const command = (method: string) => fixture.command(method, id);
    const refused = (method: string) => refusedWith(command(method));

    expect(await refused('PauseRollout')).toEqual(illegal);
    expect(await command('StartRollout')).toEqual(done(id));
    expect(await refused('StartRollout')).toEqual(illegal);
    expect(await command('PauseRollout')).toEqual(done(id));
    expect(await refused('PauseRollout')).toEqual(illegal);
    expect(await refused('TriggerNextGroup')).toEqual(illegal);
    expect(await command('ResumeRollout')).toEqual(done(id));
    expect(await command('TriggerNextGroup')).toEqual(done(id));

    // Both groups have started: nothing is scheduled any more.
    const [first, second] = (await fixture.events(id))[0].data.groups as { groupId: number }[];
    await groupEvents(
      { type: 'RolloutGroupStarted.v1', data: { rolloutId: id, groupId: first.groupId, index: 1, startedAt: 1 } },
      { type: 'RolloutGroupStarted.v1', data: { rolloutId: id, groupId: second.groupId, index: 2, startedAt: 2 } },
    );
    const noneLeft = await refused('TriggerNextGroup');
    expect(noneLeft).toEqual(illegal);
    expect(noneLeft?.body.message).toBe(`rollout ${id} has no scheduled group left`);

    expect(await command('StopRollout')).toEqual(done(id));
    expect(await refused('StopRollout')).toEqual(illegal);
    const events = await fixture.events(id);
    expect(events.map((e) => e.type)).toEqual([
      'RolloutCreated.v1',
      'RolloutReady.v1',
      'RolloutStarted.v1',
      'RolloutPaused.v1',
      'RolloutResumed.v1',
      'RolloutNextGroupTriggered.v1',
      'RolloutStopping.v1',
    ]);
    expect(events[3].data).toEqual({ rolloutId: id, pausedAt: expect.any(Number), pausedBy: 'op', cause: 'MANUAL' });
    expect(events[6].data).toEqual({ rolloutId: id, requestedAt: expect.any(Number), requestedBy: 'op' });

    // The workflow reports every group done: the stop completes.
    await groupEvents({ type: 'RolloutGroupsCompleted.v1', data: { rolloutId: id, completedAt: 9 } });
    expect((await fixture.events(id)).at(-1)).toEqual({
      type: 'RolloutStopped.v1',
      data: { rolloutId: id, stoppedAt: 9 },
    });
  });

  it('carries an ERROR_COUNT error condition into every group of RolloutCreated', async () => {
    const { id } = await fixture.create({
      name: uniqueName('errors'),
      distributionSetId: fixture.distributionSetId,
      targetFilterQuery: 'name==life-*',
      amountGroups: 3,
      errorCondition: { condition: 'ERROR_COUNT', expression: 2 ** 31 - 1 },
    });
    const groups = (await fixture.events(id))[0].data.groups as { errorCondition: unknown }[];
    expect(groups.map((g) => g.errorCondition)).toEqual(
      Array(3).fill({ condition: 'ERROR_COUNT', expression: 2 ** 31 - 1 }),
    );
  });

  it('stops a rollout that never started at once', async () => {
    const id = await ready();
    expect(await fixture.command('StopRollout', id)).toEqual(done(id));
    expect((await fixture.events(id)).map((e) => e.type)).toEqual([
      'RolloutCreated.v1',
      'RolloutReady.v1',
      'RolloutStopped.v1',
    ]);
    expect(await refusedWith(fixture.command('StartRollout', id))).toEqual(illegal);
  });

  it('removes a rollout that never started (404 afterwards, its name free) and soft-deletes a started one', async () => {
    const name = uniqueName('gone');
    const id = await create(name);
    await fixture.lastEventIs(id, 'RolloutReady.v1');
    expect(await fixture.command('DeleteRollout', id)).toMatchObject({ rolloutId: id });
    expect((await fixture.events(id)).at(-1)).toEqual({
      type: 'RolloutRemoved.v1',
      data: { rolloutId: id, removedAt: expect.any(Number), removedBy: 'op' },
    });
    for (const refused of [
      fixture.command('DeleteRollout', id),
      fixture.command('StartRollout', id),
      update(id, { name: 'x' }),
    ]) {
      expect(await refusedWith(refused)).toEqual(notFound);
    }
    await create(name);

    const started = await ready();
    await fixture.command('StartRollout', started);
    expect(await fixture.command('DeleteRollout', started)).toEqual(done(started));
    expect((await fixture.events(started)).at(-1)?.type).toBe('RolloutDeleting.v1');
    expect(await refusedWith(fixture.command('DeleteRollout', started))).toEqual(illegal);
    expect(await refusedWith(update(started, { name: 'late' }))).toMatchObject({ status: 400 });
  });

  it('renames a rollout (answering its view), refusing a taken name with 409 and an unknown rollout with 404', async () => {
    const id = await ready();
    const name = uniqueName('renamed');
    expect(await update(id, { name, description: 'new words' })).toEqual({
      position: done(id),
      rollout: expect.objectContaining({
        id,
        name,
        description: 'new words',
        status: 'ready',
        totalTargets: 30,
        distributionSetId: fixture.distributionSetId,
        createdBy: 'creator',
        lastModifiedBy: 'editor',
      }),
    });
    // The description stays when left out.
    const again = await update(id, { name }, caller('second-editor'));
    expect((again.rollout as { description: string }).description).toBe('new words');
    expect((await fixture.events(id)).at(-1)).toEqual({
      type: 'RolloutUpdated.v1',
      data: {
        rolloutId: id,
        name,
        description: 'new words',
        updatedAt: expect.any(Number),
        updatedBy: 'second-editor',
      },
    });

    const other = await create();
    expect(await refusedWith(update(other, { name }))).toEqual({
      status: 409,
      body: expect.objectContaining({ errorCode: 'hawkbit.server.error.repo.entitiyAlreayExists' }),
    });
    expect((await fixture.events(other)).map((e) => e.type)).not.toContain('RolloutUpdated.v1');
    expect(await refusedWith(update(99_999_999, { name: 'n' }))).toEqual(notFound);
  });

  it('refuses retry as an illegal state before finished, and once finished without failed targets', async () => {
    const id = await ready();
    expect(await refusedWith(fixture.command('RetryRollout', id))).toEqual(illegal);
    await fixture.command('StartRollout', id);
    await groupEvents({ type: 'RolloutGroupsCompleted.v1', data: { rolloutId: id, completedAt: 5 } });
    expect((await fixture.events(id)).at(-1)?.type).toBe('RolloutFinished.v1');
    expect(await refusedWith(fixture.command('RetryRollout', id))).toEqual({
      status: 400,
      body: {
        exceptionClass: 'RolloutIllegalStateException',
        errorCode: 'hawkbit.server.error.rollout.illegalstate',
        message: `rollout ${id} has no failed targets to retry`,
      },
    });
  });
});
