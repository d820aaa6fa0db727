import { uniqueName } from '@fleetwave/testing';
import { RolloutHttpFixture } from './testing/rollout-http.fixture';

/**
 * The tenant setting `user.confirmation.flow.enabled` travels on RolloutStarted.v1 as it is when
 * the rollout starts (by an operator or at its startAt), so that action-dispatch decides on the
 * value of that moment, not on one read later.
 */
describe('confirmation flow setting on the start (Postgres)', () => {
  const fixture = new RolloutHttpFixture();
  const send = fixture.send.bind(fixture);
  const settingPath = '/system/configs/user.confirmation.flow.enabled';

  beforeAll(() => fixture.start({ prefix: 'conf', count: 4 }));
  afterAll(() => fixture.stop());

  async function readyRollout(startAt?: number): Promise<number> {
    const answer = await send('POST', '/rollouts', {
      name: uniqueName('conf'),
      distributionSetId: fixture.distributionSetId,
      targetFilterQuery: 'name==conf-*',
      amountGroups: 2,
      confirmationRequired: true,
      startAt,
    });
    expect(answer.status).toBe(201);
    // With a startAt the rollout may start as soon as it is ready: only the start is waited for.
    if (startAt === undefined) await fixture.lastEventIs(answer.body.id, 'RolloutReady.v1');
    return answer.body.id;
  }

  const started = async (id: number) => (await fixture.events(id)).find((e) => e.type === 'RolloutStarted.v1')?.data;

  it('carries false by default, and true once the setting is on', async () => {
    const before = await readyRollout();
    expect((await send('POST', `/rollouts/${before}/start`)).status).toBe(204);
    expect(await started(before)).toMatchObject({ rolloutId: before, confirmationFlowEnabled: false });

    expect((await send('PUT', settingPath, { value: true })).status).toBe(200);
    try {
      const after = await readyRollout();
      expect((await send('POST', `/rollouts/${after}/start`)).status).toBe(204);
      expect(await started(after)).toMatchObject({ rolloutId: after, confirmationFlowEnabled: true });
    } finally {
      expect((await send('DELETE', settingPath)).status).toBe(204);
    }
  });

  it('takes the value at the start, not at creation: created with it off, started with it on', async () => {
    const id = await readyRollout();
    expect((await send('PUT', settingPath, { value: true })).status).toBe(200);
    try {
      expect((await send('POST', `/rollouts/${id}/start`)).status).toBe(204);
      expect(await started(id)).toMatchObject({ confirmationFlowEnabled: true });
    } finally {
      expect((await send('DELETE', settingPath)).status).toBe(204);
    }
  });

  it('carries it on a start at startAt too', async () => {
    expect((await send('PUT', settingPath, { value: true })).status).toBe(200);
    try {
      const id = await readyRollout(Date.now() + 500);
      await fixture.lastEventIs(id, 'RolloutStarted.v1');
      expect(await started(id)).toMatchObject({ rolloutId: id, confirmationFlowEnabled: true });
    } finally {
      expect((await send('DELETE', settingPath)).status).toBe(204);
    }
  });
});
