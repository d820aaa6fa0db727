import { withTransaction } from '@fleetwave/platform';
import { uniqueName } from '@fleetwave/testing';
import { GroupEventsConsumer } from './processes/group-events.consumer';
import { RolloutCreationWorker } from './processes/rollout-creation.worker';
import { RolloutHttpFixture } from './testing/rollout-http.fixture';

/**
 * The rollout lifecycle through rollout-command's HTTP endpoints (Postgres, the creation worker
 * running): each command's status code and hawkBit error body, and the events it records.
 */
describe('rollout lifecycle endpoints (Postgres)', () => {
  const fixture = new RolloutHttpFixture();
  const send = fixture.send.bind(fixture);
  const illegal = {
    exceptionClass: 'RolloutIllegalStateException',
    errorCode: 'hawkbit.server.error.rollout.illegalstate',
    message: expect.any(String),
  };
  const as = (user: string): Record<string, string> => ({ 'x-fleetwave-user': user });

  beforeAll(() => fixture.start({ prefix: 'life', count: 30 }));
  afterAll(() => fixture.stop());

  async function create(headers: Record<string, string> = as('creator'), name = uniqueName('r')): Promise<number> {
    const answer = await send(
      'POST',
      '/rollouts',
      { name, distributionSetId: fixture.distributionSetId, targetFilterQuery: 'name==life-*', amountGroups: 2 },
      headers,
    );
    expect(answer.status).toBe(201);
    return answer.body.id;
  }

  async function ready(headers?: Record<string, string>): Promise<number> {
    const id = await create(headers);
    await fixture.lastEventIs(id, 'RolloutReady.v1');
    return id;
  }

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
      expect(await send('POST', `/rollouts/${id}/start`, undefined, as('op'))).toEqual({ status: 400, body: illegal });
      expect((await fixture.events(id)).map((e) => e.type)).toEqual(['RolloutCreated.v1']);
    } finally {
      worker.start();
    }
    worker.wake();
    await fixture.lastEventIs(id, 'RolloutReady.v1');
    expect(await send('POST', `/rollouts/${id}/start`, undefined, as('op'))).toEqual({ status: 204, body: undefined });
  });

  it('starts, pauses, resumes, triggers the next group and stops a rollout, each 204, refusing repeats with 400', async () => {
    const id = await ready();
    const post = (verb: string) => send('POST', `/rollouts/${id}/${verb}`, undefined, as('op'));

    expect(await post('pause')).toEqual({ status: 400, body: illegal });
    expect(await post('start')).toEqual({ status: 204, body: undefined });
    expect(await post('start')).toEqual({ status: 400, body: illegal });
    expect(await post('pause')).toEqual({ status: 204, body: undefined });
    expect(await post('pause')).toEqual({ status: 400, body: illegal });
    expect(await post('triggerNextGroup')).toEqual({ status: 400, body: illegal });
    expect(await post('resume')).toEqual({ status: 204, body: undefined });
    expect(await post('triggerNextGroup')).toEqual({ status: 204, body: undefined });

    // Both groups have started: nothing is scheduled any more.
    const [first, second] = (await fixture.events(id))[0].data.groups as { groupId: number }[];
    await groupEvents(
      { type: 'RolloutGroupStarted.v1', data: { rolloutId: id, groupId: first.groupId, index: 1, startedAt: 1 } },
      { type: 'RolloutGroupStarted.v1', data: { rolloutId: id, groupId: second.groupId, index: 2, startedAt: 2 } },
    );
    const refused = await post('triggerNextGroup');
    expect(refused).toEqual({ status: 400, body: illegal });
    expect(refused.body.message).toBe(`rollout ${id} has no scheduled group left`);

    expect(await post('stop')).toEqual({ status: 204, body: undefined });
    expect(await post('stop')).toEqual({ status: 400, body: illegal });
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
    const answer = await send('POST', '/rollouts', {
      name: uniqueName('errors'),
      distributionSetId: fixture.distributionSetId,
      targetFilterQuery: 'name==life-*',
      amountGroups: 3,
      errorCondition: { condition: 'ERROR_COUNT', expression: 2 ** 31 - 1 },
    });
    expect(answer.status).toBe(201);
    const groups = (await fixture.events(answer.body.id))[0].data.groups as { errorCondition: unknown }[];
    expect(groups.map((g) => g.errorCondition)).toEqual(
      Array(3).fill({ condition: 'ERROR_COUNT', expression: 2 ** 31 - 1 }),
    );
  });

  it('stops a rollout that never started at once', async () => {
    const id = await ready();
    expect((await send('POST', `/rollouts/${id}/stop`)).status).toBe(204);
    expect((await fixture.events(id)).map((e) => e.type)).toEqual([
      'RolloutCreated.v1',
      'RolloutReady.v1',
      'RolloutStopped.v1',
    ]);
    expect((await send('POST', `/rollouts/${id}/start`)).status).toBe(400);
  });

  it('removes a rollout that never started (404 afterwards, its name free) and soft-deletes a started one', async () => {
    const name = uniqueName('gone');
    const id = await create(as('creator'), name);
    await fixture.lastEventIs(id, 'RolloutReady.v1');
    expect(await send('DELETE', `/rollouts/${id}`, undefined, as('op'))).toEqual({ status: 204, body: undefined });
    expect((await fixture.events(id)).at(-1)).toEqual({
      type: 'RolloutRemoved.v1',
      data: { rolloutId: id, removedAt: expect.any(Number), removedBy: 'op' },
    });
    for (const [method, path] of [
      ['DELETE', `/rollouts/${id}`],
      ['POST', `/rollouts/${id}/start`],
      ['PUT', `/rollouts/${id}`],
    ]) {
      const answer = await send(method, path, method === 'PUT' ? { name: 'x' } : undefined);
      expect(answer).toEqual({
        status: 404,
        body: {
          exceptionClass: 'EntityNotFoundException',
          errorCode: 'hawkbit.server.error.repo.entitiyNotFound',
          message: expect.any(String),
        },
      });
    }
    await create(as('creator'), name);

    const started = await ready();
    expect((await send('POST', `/rollouts/${started}/start`)).status).toBe(204);
    expect((await send('DELETE', `/rollouts/${started}`)).status).toBe(204);
    expect((await fixture.events(started)).at(-1)?.type).toBe('RolloutDeleting.v1');
    expect(await send('DELETE', `/rollouts/${started}`)).toEqual({ status: 400, body: illegal });
    expect((await send('PUT', `/rollouts/${started}`, { name: 'late' })).status).toBe(400);
  });

  it('renames a rollout with PUT (200 with the rollout), refusing a taken name with 409', async () => {
    const id = await ready();
    const name = uniqueName('renamed');
    const answer = await send('PUT', `/rollouts/${id}`, { name, description: 'new words', status: 'x' }, as('editor'));
    expect(answer).toEqual({
      status: 200,
      body: expect.objectContaining({
        id,
        name,
        description: 'new words',
        status: 'ready',
        totalTargets: 30,
        distributionSetId: fixture.distributionSetId,
        createdBy: 'creator',
        lastModifiedBy: 'editor',
        _links: { self: { href: `/rest/v1/rollouts/${id}` } },
      }),
    });
    // The description stays when left out.
    expect((await send('PUT', `/rollouts/${id}`, { name })).body.description).toBe('new words');
    expect((await fixture.events(id)).at(-1)).toEqual({
      type: 'RolloutUpdated.v1',
      data: { rolloutId: id, name, description: 'new words', updatedAt: expect.any(Number), updatedBy: 'system' },
    });

    const other = await create();
    const taken = await send('PUT', `/rollouts/${other}`, { name });
    expect(taken).toEqual({
      status: 409,
      body: expect.objectContaining({ errorCode: 'hawkbit.server.error.repo.entitiyAlreadyExists' }),
    });
    expect((await fixture.events(other)).map((e) => e.type)).not.toContain('RolloutUpdated.v1');
    expect((await send('PUT', `/rollouts/${other}`, { description: 'no name' })).status).toBe(400);
    expect((await send('PUT', '/rollouts/99999999', { name: 'n' })).status).toBe(404);
  });

  it('refuses retry as an illegal state before finished, and once finished without failed targets', async () => {
    const id = await ready();
    expect(await send('POST', `/rollouts/${id}/retry`)).toEqual({ status: 400, body: illegal });
    await send('POST', `/rollouts/${id}/start`);
    await groupEvents({ type: 'RolloutGroupsCompleted.v1', data: { rolloutId: id, completedAt: 5 } });
    expect((await fixture.events(id)).at(-1)?.type).toBe('RolloutFinished.v1');
    expect(await send('POST', `/rollouts/${id}/retry`)).toEqual({
      status: 400,
      body: {
        exceptionClass: 'RolloutIllegalStateException',
        errorCode: 'hawkbit.server.error.rollout.illegalstate',
        message: `rollout ${id} has no failed targets to retry`,
      },
    });
  });
});
