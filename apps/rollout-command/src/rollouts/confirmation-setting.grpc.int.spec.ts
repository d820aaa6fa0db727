import { uniqueName } from '@fleetwave/testing';
import { RolloutCommandsFixture } from './testing/rollout-commands.fixture';

/**
 * The tenant setting `user.confirmation.flow.enabled` travels on RolloutStarted.v1 as it is when
 * the rollout starts (by an operator or at its startAt), so that action-dispatch decides on the
 * value of that moment, not on one read later.
 */
describe('confirmation flow setting on the start (Postgres)', () => {
  const fixture = new RolloutCommandsFixture();
  const setting = 'user.confirmation.flow.enabled';
  const start = (id: number) => fixture.command('StartRollout', id);

  beforeAll(() => fixture.start({ prefix: 'conf', count: 4 }));
  afterAll(() => fixture.stop());

  async function readyRollout(startAt?: number): Promise<number> {
    const { id } = await fixture.create({
      name: uniqueName('conf'),
      distributionSetId: fixture.distributionSetId,
      targetFilterQuery: 'name==conf-*',
      amountGroups: 2,
      confirmationRequired: true,
      startAt,
    });
    // With a startAt the rollout may start as soon as it is ready: only the start is waited for.
    if (startAt === undefined) await fixture.lastEventIs(id, 'RolloutReady.v1');
    return id;
  }

  const started = async (id: number) => (await fixture.events(id)).find((e) => e.type === 'RolloutStarted.v1')?.data;

  it('carries false by default, and true once the setting is on', async () => {
    const before = await readyRollout();
    await start(before);
    expect(await started(before)).toMatchObject({ rolloutId: before, confirmationFlowEnabled: false });

    expect(await fixture.setConfig(setting, true)).toMatchObject({ key: setting, valueJson: 'true' });
    try {
      const after = await readyRollout();
      await start(after);
      expect(await started(after)).toMatchObject({ rolloutId: after, confirmationFlowEnabled: true });
    } finally {
      await fixture.resetConfig(setting);
    }
  });

  it('takes the value at the start, not at creation: created with it off, started with it on', async () => {
    const id = await readyRollout();
    expect(await fixture.setConfig(setting, true)).toMatchObject({ key: setting, valueJson: 'true' });
    try {
      await start(id);
      expect(await started(id)).toMatchObject({ confirmationFlowEnabled: true });
    } finally {
      await fixture.resetConfig(setting);
    }
  });

  it('carries it on a start at startAt too', async () => {
    expect(await fixture.setConfig(setting, true)).toMatchObject({ key: setting, valueJson: 'true' });
    try {
      const id = await readyRollout(Date.now() + 500);
      await fixture.lastEventIs(id, 'RolloutStarted.v1');
      expect(await started(id)).toMatchObject({ rolloutId: id, confirmationFlowEnabled: true });
    } finally {
      await fixture.resetConfig(setting);
    }
  });
});
