import { DispatchFixture, groupStarted } from './testing/dispatch.fixture';
import { rolloutOver, TakeoverDriver, targets } from './testing/takeover.fixture';

describe('group start on targets other rollouts hold (real Postgres)', () => {
  const fx = new DispatchFixture();
  const driver = new TakeoverDriver(fx);
  beforeAll(() => fx.setUp());
  afterAll(() => fx.dispose());

  const statuses = async (rolloutId: number) => (await fx.actions(rolloutId)).map((a) => a.status);

  it('finishes an action at once, with no instruction, when its target has the set assigned already', async () => {
    const shared = targets(2);
    const fresh = targets(1);
    const first = rolloutOver([shared], { setId: 70 });
    await driver.start(first);
    await driver.startGroup(first);
    const [done] = await fx.actions(first.rolloutId);
    await driver.report([{ id: done.id, controller: done.controller, status: 'FINISHED' }]);

    // Same set: one target has it installed, the other is still installing it.
    const second = rolloutOver([[...shared, ...fresh]], { setId: 70 });
    await driver.start(second);
    await driver.startGroup(second);

    expect(await driver.actions(second.rolloutId)).toEqual([
      expect.objectContaining({ status: 'finished', changes: ['scheduled->finished'], messages: [] }),
      expect.objectContaining({ status: 'finished', changes: ['scheduled->finished'], messages: [] }),
      expect.objectContaining({
        status: 'running',
        changes: ['scheduled->running'],
        messages: ['DOWNLOAD_AND_INSTALL'],
      }),
    ]);
    // The first rollout's actions go on as they were.
    expect(await statuses(first.rolloutId)).toEqual(['finished', 'running']);
  });

  it("cancels an older rollout's scheduled actions on the targets of a newer rollout's start", async () => {
    const early = targets(1);
    const late = targets(2);
    const first = rolloutOver([early, late], { setId: 71 });
    await driver.start(first);
    await driver.startGroup(first);

    const second = rolloutOver([late], { setId: 72 });
    await driver.start(second);

    const [, ...lateActions] = await driver.actions(first.rolloutId);
    expect(lateActions).toEqual([
      expect.objectContaining({ status: 'canceled', changes: ['scheduled->canceled'], messages: [] }),
      expect.objectContaining({ status: 'canceled', changes: ['scheduled->canceled'], messages: [] }),
    ]);
    // The first rollout's running action on a target the second does not take stays.
    expect((await statuses(first.rolloutId))[0]).toBe('running');
    // Its next group starting later instructs nobody.
    await driver.startGroup(first, 1);
    expect((await driver.actions(first.rolloutId)).slice(1).map((a) => a.messages)).toEqual([[], []]);
  });

  it('never activates an action on a target a newer rollout already has an action on', async () => {
    const shared = targets(1);
    const older = rolloutOver([shared], { setId: 73 });
    const newer = rolloutOver([shared], { setId: 74 });
    await driver.start(newer);
    await driver.start(older);

    await driver.startGroup(older);

    expect(await driver.actions(older.rolloutId)).toEqual([
      expect.objectContaining({ status: 'canceled', changes: ['scheduled->canceled'], messages: [] }),
    ]);
    expect(await statuses(newer.rolloutId)).toEqual(['scheduled']);
  });

  it("asks an older rollout's active action to cancel when a newer group starts on its target", async () => {
    const shared = targets(2);
    const first = rolloutOver([shared], { setId: 75 });
    await driver.start(first);
    await driver.startGroup(first);
    const second = rolloutOver([shared], { setId: 76 });
    await driver.start(second);

    await driver.startGroup(second);

    const canceling = { status: 'canceling', changes: ['scheduled->running', 'running->canceling'] };
    expect(await driver.actions(first.rolloutId)).toEqual([
      expect.objectContaining({ ...canceling, messages: ['DOWNLOAD_AND_INSTALL', 'CANCEL_DOWNLOAD'] }),
      expect.objectContaining({ ...canceling, messages: ['DOWNLOAD_AND_INSTALL', 'CANCEL_DOWNLOAD'] }),
    ]);
    expect(await driver.actions(second.rolloutId)).toEqual([
      expect.objectContaining({ status: 'running', messages: ['DOWNLOAD_AND_INSTALL'] }),
      expect.objectContaining({ status: 'running', messages: ['DOWNLOAD_AND_INSTALL'] }),
    ]);
  });

  it('changes nothing when the starts and device reports are delivered again', async () => {
    const shared = targets(2);
    const first = rolloutOver([shared], { setId: 77 });
    await driver.start(first);
    await driver.startGroup(first);
    const second = rolloutOver([shared], { setId: 78 });
    await driver.start(second);
    await driver.startGroup(second);
    const old = await fx.actions(first.rolloutId);
    await driver.report(old.map((a) => ({ id: a.id, controller: a.controller, status: 'CANCELED' as const })));
    const before = { events: await driver.eventCount(), first: await statuses(first.rolloutId) };

    await driver.start(second);
    await fx.run(driver.groups.handleBatch, [fx.item(groupStarted(second.rolloutId, second.groups[0]))]);
    await driver.report(old.map((a) => ({ id: a.id, controller: a.controller, status: 'CANCELED' as const })));
    await fx.dispatch();

    expect(await driver.eventCount()).toBe(before.events);
    expect(before.first).toEqual(['canceled', 'canceled']);
    expect(await statuses(first.rolloutId)).toEqual(before.first);
    expect(await statuses(second.rolloutId)).toEqual(['running', 'running']);
  });
});
