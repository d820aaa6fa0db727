import { join } from 'node:path';
import { credentials, loadPackageDefinition, Metadata, status, type Client, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { eventually, FleetwaveClient, uniqueName } from '@fleetwave/testing';

/** rollout.v1 on the gateway's gRPC port, driven as a client of the proto would. */

type Json = Record<string, unknown>;
type Unary = (
  request: Json,
  metadata: Metadata,
  callback: (error: ServiceError | null, response: Json) => void,
) => void;

const proto = loadSync(join(__dirname, '../libs/contracts/proto/rollout/v1/rollout.proto'), {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
});
const { RolloutService } = (
  loadPackageDefinition(proto) as unknown as { rollout: { v1: Record<string, new (...a: unknown[]) => Client> } }
).rollout.v1;
const address = process.env.GRPC_ADDRESS ?? '127.0.0.1:50051';
const stub = new RolloutService(address, credentials.createInsecure()) as unknown as Record<string, Unary> &
  Client & { WatchRollout: (request: Json, metadata: Metadata) => NodeJS.EventEmitter & { cancel(): void } };

const basic = (name: string, password: string) => {
  const metadata = new Metadata();
  metadata.set('authorization', `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}`);
  return metadata;
};
const admin = basic('admin', 'admin');
const viewer = basic('viewer', 'viewer');

const call = (method: string, request: Json, metadata = admin): Promise<Json> =>
  new Promise((resolve, reject) =>
    stub[method].call(stub, request, metadata, (error, response) => (error ? reject(error) : resolve(response))),
  );

const failure = async (method: string, request: Json, metadata = admin): Promise<ServiceError> => {
  try {
    await call(method, request, metadata);
  } catch (error) {
    return error as ServiceError;
  }
  throw new Error(`${method} succeeded`);
};

const rest = new FleetwaveClient();

async function readyRollout(prefix: string, devices: number, behaviour: 'succeed' | 'hold', groups: number) {
  await rest.registerDevices(prefix, devices, behaviour);
  await eventually(async () => expect(await rest.countTargets(`controllerId==${prefix}-*`)).toBe(devices), {
    timeoutMs: 60_000,
    description: `registration of ${prefix}`,
  });
  const distributionSetId = await rest.createDistributionSet(prefix);
  const created = await call('CreateRollout', {
    name: prefix,
    distributionSetId,
    targetFilterQuery: `controllerId==${prefix}-*`,
    amountGroups: groups,
    successCondition: { condition: 'THRESHOLD', expression: '100' },
  });
  expect(created.status).toBe('creating');
  const id = Number(created.id);
  await eventually(async () => expect((await call('GetRollout', { rolloutId: id })).status).toBe('ready'), {
    timeoutMs: 30_000,
    description: 'rollout ready',
  });
  return id;
}

afterAll(() => stub.close());

describe('rollout.v1 over gRPC', () => {
  it('watches a rollout from ready to finished, with per-group progress pushed as it changes', async () => {
    const prefix = uniqueName('grpc-watch');
    const id = await readyRollout(prefix, 6, 'succeed', 2);
    const snapshots: Json[] = [];
    const stream = stub.WatchRollout({ rolloutId: id }, admin);
    const ended = new Promise<void>((resolve, reject) => {
      stream.on('data', (snapshot: Json) => snapshots.push(snapshot));
      stream.on('end', resolve);
      stream.on('error', reject);
    });
    await eventually(() => expect(snapshots.length).toBeGreaterThan(0), { description: 'first snapshot' });
    expect((snapshots[0].rollout as Json).status).toBe('ready');

    await call('StartRollout', { rolloutId: id });
    await ended;
    const states = snapshots.map((s) => (s.rollout as Json).status);
    expect(states[states.length - 1]).toBe('finished');
    expect(states).toContain('running');
    const last = snapshots[snapshots.length - 1];
    expect((last.rollout as Json).totalTargetsPerStatus).toMatchObject({ finished: 6, running: 0, scheduled: 0 });
    expect((last.groups as Json[]).map((g) => g.status)).toEqual(['finished', 'finished']);
    // Progress came in steps, not only as the end state.
    const finishedCounts = snapshots.map((s) => Number(((s.rollout as Json).totalTargetsPerStatus as Json).finished));
    expect(new Set(finishedCounts).size).toBeGreaterThan(2);
  });

  it('runs every lifecycle command, refusing those in the wrong state', async () => {
    const prefix = uniqueName('grpc-commands');
    const id = await readyRollout(prefix, 4, 'hold', 2);
    const illegal = await failure('PauseRollout', { rolloutId: id });
    expect(illegal.code).toBe(status.FAILED_PRECONDITION);
    expect(illegal.metadata.get('error-code')).toEqual(['hawkbit.server.error.rollout.illegalstate']);

    const renamed = await call('UpdateRollout', { rolloutId: id, name: `${prefix}-renamed`, description: 'via gRPC' });
    expect([renamed.name, renamed.description]).toEqual([`${prefix}-renamed`, 'via gRPC']);
    // The one created last comes first.
    const page = await call('ListRollouts', { sort: 'createdAt:DESC', limit: 1 });
    expect((page.content as Json[]).map((r) => r.id)).toEqual([id]);
    expect(Number(page.total)).toBeGreaterThanOrEqual(1);

    await call('StartRollout', { rolloutId: id });
    const groups = async () =>
      ((await call('ListDeployGroups', { rolloutId: id })).content as Json[]).map((g) => g.status);
    await eventually(async () => expect(await groups()).toEqual(['running', 'scheduled']), { description: 'group 1' });
    await call('PauseRollout', { rolloutId: id });
    expect((await call('GetRollout', { rolloutId: id })).status).toBe('paused');
    await call('ResumeRollout', { rolloutId: id });
    await call('TriggerNextGroup', { rolloutId: id });
    await eventually(async () => expect(await groups()).toEqual(['running', 'running']), { description: 'group 2' });
    const [first] = (await call('ListDeployGroups', { rolloutId: id })).content as Json[];
    expect((await call('GetDeployGroup', { rolloutId: id, groupId: first.id })).status).toBe('running');

    await call('StopRollout', { rolloutId: id });
    await eventually(async () => expect((await call('GetRollout', { rolloutId: id })).status).toBe('stopped'), {
      timeoutMs: 30_000,
      description: 'stopped',
    });
    await call('DeleteRollout', { rolloutId: id });
    await eventually(async () => expect((await call('GetRollout', { rolloutId: id })).status).toBe('deleted'), {
      timeoutMs: 30_000,
      description: 'deleted',
    });
    expect((await failure('RetryRollout', { rolloutId: id })).code).toBe(status.FAILED_PRECONDITION);
  });

  it('approves and denies, and answers for credentials, permissions and unknown ids as REST does', async () => {
    const setting = '/system/configs/rollout.approval.enabled';
    await rest.expect(200, 'PUT', setting, { value: true });
    try {
      const operator = basic('operator', 'operator');
      const prefix = uniqueName('grpc-approval');
      await rest.registerDevices(prefix, 1, 'succeed');
      await eventually(async () => expect(await rest.countTargets(`controllerId==${prefix}-*`)).toBe(1), {
        timeoutMs: 60_000,
      });
      const distributionSetId = await rest.createDistributionSet(prefix);
      const create = (name: string) =>
        call(
          'CreateRollout',
          { name, distributionSetId, targetFilterQuery: `controllerId==${prefix}-*`, amountGroups: 1 },
          operator,
        );
      const [a, d] = [Number((await create(`${prefix}-a`)).id), Number((await create(`${prefix}-d`)).id)];
      for (const id of [a, d])
        await eventually(
          async () => expect((await call('GetRollout', { rolloutId: id })).status).toBe('waiting_for_approval'),
          { timeoutMs: 30_000 },
        );
      expect((await failure('ApproveRollout', { rolloutId: a }, operator)).code).toBe(status.PERMISSION_DENIED);
      await call('ApproveRollout', { rolloutId: a, remark: 'fine' });
      await call('DenyRollout', { rolloutId: d, remark: 'not now' });
      await eventually(async () => expect((await call('GetRollout', { rolloutId: a })).status).toBe('ready'));
      const denied = await eventually(async () => {
        const view = await call('GetRollout', { rolloutId: d });
        expect(view.status).toBe('approval_denied');
        return view;
      });
      expect(denied).toMatchObject({ approvalDecidedBy: 'admin', approvalRemark: 'not now' });

      expect((await failure('StartRollout', { rolloutId: a }, viewer)).code).toBe(status.PERMISSION_DENIED);
      expect((await failure('GetRollout', { rolloutId: a }, new Metadata())).code).toBe(status.UNAUTHENTICATED);
      expect((await failure('GetRollout', { rolloutId: 987_654_321 })).code).toBe(status.NOT_FOUND);
      const bad = await failure('CreateRollout', { name: `${prefix}-bad`, distributionSetId, targetFilterQuery: '(' });
      expect(bad.code).toBe(status.INVALID_ARGUMENT);
    } finally {
      await rest.call('DELETE', setting);
    }
  });
});
