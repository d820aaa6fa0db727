import type { HawkbitErrorBody } from '@fleetwave/platform';
import { INVENTORY_SCHEMA } from '../../../inventory/inventory.migration';
import { InventoryFixture } from '../../../inventory/testing/inventory.fixture';

type Json = Record<string, unknown>;

/** `CreateTargets` at fleet size over a real channel, on a database of its own (Postgres). */
describe('CreateTargets over gRPC (Postgres)', () => {
  const fx = new InventoryFixture();
  const caller = { user: 'operator', permissions: ['CREATE_TARGET'] };
  const create = (targets: Json[]) => fx.client('targets').call('CreateTargets', { caller, targets });
  const refusal = (work: Promise<unknown>) =>
    work.then(
      () => {
        throw new Error('the call succeeded');
      },
      (e: { getStatus(): number; body: HawkbitErrorBody }) => ({ status: e.getStatus(), body: e.body }),
    );

  beforeAll(() => fx.start());
  afterAll(() => fx.stop());

  const count = async (): Promise<number> =>
    Number((await fx.pool.query<{ n: string }>(`select count(*) as n from ${INVENTORY_SCHEMA}.targets`)).rows[0].n);

  it('creates thousands of targets in one request and answers them in request order', async () => {
    const targets = Array.from({ length: 5_000 }, (_, i) => ({
      controllerId: `bulk-${String(4_999 - i).padStart(4, '0')}`,
      name: i % 2 === 0 ? `Bulk ${i}` : undefined,
      description: i === 1 ? 'second' : undefined,
    }));

    const created = (await create(targets)).items as Json[];

    expect(created.map((t) => t.controllerId)).toEqual(targets.map((t) => t.controllerId));
    expect(created[0]).toMatchObject({ name: 'Bulk 0', audit: { createdBy: 'operator' } });
    expect(created[0]).not.toHaveProperty('description');
    expect(created[1]).toMatchObject({ name: 'bulk-4998', description: 'second' });
    expect(new Set(created.map((t) => t.id)).size).toBe(5_000);
    expect(await count()).toBe(5_000);
  });

  it('creates none of a request naming a known controllerId, and names the taken ones', async () => {
    const before = await count();
    const request = [{ controllerId: 'fresh-1' }, { controllerId: 'bulk-0042' }, { controllerId: 'fresh-2' }];

    const { status, body } = await refusal(create(request));

    expect({ status, errorCode: body.errorCode }).toEqual({
      status: 409,
      errorCode: 'hawkbit.server.error.repo.entitiyAlreayExists',
    });
    expect(body.message).toBe('target already exists: bulk-0042');
    expect(await count()).toBe(before);
  });

  it('refuses a controllerId given twice (400) and an unknown target type (404), creating nothing', async () => {
    const before = await count();
    expect(await refusal(create([{ controllerId: 'twice' }, { controllerId: 'twice' }]))).toEqual({
      status: 400,
      body: {
        exceptionClass: 'ConstraintViolationException',
        errorCode: 'hawkbit.server.error.repo.constraintViolation',
        message: 'duplicate controllerId in request',
      },
    });
    expect(await refusal(create([{ controllerId: 'typed', targetType: 999_999 }]))).toMatchObject({
      status: 404,
      body: { message: 'TargetType with given identifier {999999} does not exist.' },
    });
    expect(await count()).toBe(before);
  });
});
