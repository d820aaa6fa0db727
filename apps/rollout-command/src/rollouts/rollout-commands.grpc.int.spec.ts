import {
  ConditionDto,
  ErrorActionDto,
  ErrorConditionDto,
  SuccessActionDto,
  toDefinitionMessage,
} from '@fleetwave/contracts';
import { refusalOf as refusal, uniqueName } from '@fleetwave/testing';
import { RolloutCommandsFixture } from './testing/rollout-commands.fixture';

/**
 * `fleetwave.internal.v1.RolloutCommands` over a real channel, on Postgres with the creation
 * worker running: every command reaches its handler, answers with the position the write left the
 * rollout's stream at, and a refusal comes back as the REST answer it would have been.
 */
describe('internal rollout commands over gRPC (Postgres)', () => {
  const fixture = new RolloutCommandsFixture();
  const caller = (user: string, permissions = ['CREATE_ROLLOUT', 'HANDLE_ROLLOUT', 'APPROVE_ROLLOUT']) => ({
    user,
    permissions,
  });

  beforeAll(() => fixture.start({ prefix: 'grpc', count: 12 }));
  afterAll(() => fixture.stop());

  /** A validated create body, as the gateway sends it. */
  const definition = (overrides: Record<string, unknown> = {}) =>
    toDefinitionMessage({
      name: uniqueName('g'),
      distributionSetId: fixture.distributionSetId,
      targetFilterQuery: 'name==grpc-*',
      amountGroups: 2,
      type: 'forced',
      weight: 0,
      confirmationRequired: false,
      dynamic: false,
      successCondition: Object.assign(new ConditionDto(), { expression: 0 }),
      successAction: new SuccessActionDto(),
      errorCondition: new ErrorConditionDto(),
      errorAction: new ErrorActionDto(),
      ...overrides,
    });

  async function created(user = caller('creator')) {
    const answer = await fixture.commands.call('CreateRollout', { caller: user, definition: definition() });
    const id = Number((answer.rollout as { id: number }).id);
    await fixture.lastEventIs(id, 'RolloutReady.v1');
    return { id, answer };
  }

  it('creates a rollout from the definition as sent (zeros kept), answering its view and first position', async () => {
    const { id, answer } = await created();
    expect(answer).toEqual({
      position: { rolloutId: id, revision: 0 },
      rollout: expect.objectContaining({ id, status: 'creating', totalTargets: 12, weight: 0, dynamic: false }),
    });
    const [rolloutCreated] = await fixture.events(id);
    expect(rolloutCreated.data).toMatchObject({ weight: 0, createdBy: 'creator' });
    expect((rolloutCreated.data.groups as { successCondition: unknown }[])[0].successCondition).toEqual({
      condition: 'THRESHOLD',
      expression: 0,
    });
  });

  it('answers every lifecycle command with the revision it wrote, and a refusal with the REST answer', async () => {
    const { id } = await created();
    const command = (method: string) => fixture.commands.call(method, { caller: caller('op'), rolloutId: id });
    expect(await command('StartRollout')).toEqual({ rolloutId: id, revision: 2 });
    expect(await command('PauseRollout')).toEqual({ rolloutId: id, revision: 3 });
    expect(await refusal(command('PauseRollout'))).toEqual({
      status: 400,
      errorCode: 'hawkbit.server.error.rollout.illegalstate',
    });
    expect(await command('ResumeRollout')).toEqual({ rolloutId: id, revision: 4 });
    expect(await command('TriggerNextGroup')).toEqual({ rolloutId: id, revision: 5 });
    expect(await command('StopRollout')).toEqual({ rolloutId: id, revision: 6 });
    expect((await fixture.events(id)).map((e) => e.type).slice(2)).toEqual([
      'RolloutStarted.v1',
      'RolloutPaused.v1',
      'RolloutResumed.v1',
      'RolloutNextGroupTriggered.v1',
      'RolloutStopping.v1',
    ]);
    expect((await fixture.events(id))[2].data).toMatchObject({ startedBy: 'op' });
  });

  it('renames and deletes, and refuses an unknown rollout and a caller without a name', async () => {
    const { id } = await created();
    const renamed = await fixture.commands.call('UpdateRollout', {
      caller: caller('ed'),
      rolloutId: id,
      name: `${id}-renamed`,
    });
    expect(renamed).toEqual({
      position: { rolloutId: id, revision: 2 },
      rollout: expect.objectContaining({ id, name: `${id}-renamed`, lastModifiedBy: 'ed' }),
    });
    expect(await fixture.commands.call('DeleteRollout', { caller: caller('ed'), rolloutId: id })).toMatchObject({
      rolloutId: id,
    });
    expect(await refusal(fixture.commands.call('StartRollout', { caller: caller('op'), rolloutId: 0 }))).toEqual({
      status: 404,
      errorCode: 'hawkbit.server.error.repo.entitiyNotFound',
    });
    expect(await refusal(fixture.commands.call('StartRollout', { caller: { user: '' }, rolloutId: id }))).toEqual({
      status: 400,
      errorCode: 'hawkbit.server.error.rest.param.invalid',
    });
  });
});
