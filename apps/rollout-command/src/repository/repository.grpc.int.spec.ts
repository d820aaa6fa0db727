import { HawkbitHttpError } from '@fleetwave/platform';
import { refusalOf, uniqueName } from '@fleetwave/testing';
import { hawkbitError, InventoryFixture } from '../inventory/testing/inventory.fixture';

type Json = Record<string, any>;

/**
 * `fleetwave.internal.v1.Repository` over a real channel, on Postgres: module and set types,
 * software modules and distribution sets (with their modules) as the gateway calls them; a
 * refusal comes back as the REST answer it would have been. An empty list arrives absent.
 */
describe('internal repository API over gRPC (Postgres)', () => {
  const fx = new InventoryFixture();
  const caller = { user: 'operator', permissions: ['CREATE_REPOSITORY', 'UPDATE_REPOSITORY', 'DELETE_REPOSITORY'] };
  beforeAll(() => fx.start());
  afterAll(() => fx.stop());

  const call = (method: string, request: Json = {}): Promise<Json> => fx.client('repository').call(method, request);
  /** The status and whole hawkBit body an internal call was refused with. */
  const refused = (work: Promise<unknown>) =>
    work.then(
      () => undefined,
      (e: HawkbitHttpError) => ({ status: e.getStatus(), body: e.body }),
    );
  const keys = (views: Json[] = []) => views.map((v) => v.key);
  const ids = (views: Json[] = []) => views.map((v) => v.id);

  const module = async (type: string, name = uniqueName('sm')): Promise<number> =>
    (await call('CreateSoftwareModules', { caller, modules: [{ name, version: '1.0', type, vendor: 'acme' }] }))
      .items[0].id;
  const set = async (type: string, moduleIds: number[] = [], name = uniqueName('ds')): Promise<Json> =>
    (await call('CreateDistributionSets', { caller, sets: [{ name, version: '1.0', type, moduleIds }] })).items[0];

  describe('types', () => {
    it('seeds hawkBit’s default module and set types', async () => {
      const modules = await call('ListSoftwareModuleTypes', { sort: 'key:ASC' });
      expect(keys(modules.content)).toEqual(['application', 'os', 'runtime']);
      expect(modules.total).toBe(3);
      expect(modules.content.find((t: Json) => t.key === 'os')).toMatchObject({
        id: expect.any(Number),
        name: 'OS',
        maxAssignments: 1,
        audit: { createdBy: expect.any(String), createdAt: expect.any(Number) },
      });
      const sets = await call('ListDistributionSetTypes', { sort: 'key:DESC' });
      expect(keys(sets.content)).toEqual(['os_app', 'os', 'app']);
      const osApp = sets.content[0];
      expect(keys((await call('ListMandatoryModuleTypes', { id: osApp.id })).items)).toEqual(['os']);
      expect(keys((await call('ListOptionalModuleTypes', { id: osApp.id })).items).sort()).toEqual([
        'application',
        'runtime',
      ]);
      expect(await refusalOf(call('ListMandatoryModuleTypes', { id: 999999 }))).toEqual({
        status: 404,
        errorCode: 'hawkbit.server.error.repo.entitiyNotFound',
      });
    });

    it('creates, reads, changes, filters and deletes a module type; a taken key is a 409', async () => {
      const key = uniqueName('firmware');
      const created = await call('CreateSoftwareModuleTypes', {
        caller,
        types: [{ key, name: `${key} name`, maxAssignments: 2, description: 'fw' }],
      });
      const id = created.items[0].id;
      expect(await call('GetSoftwareModuleType', { id })).toEqual({
        id,
        key,
        name: `${key} name`,
        description: 'fw',
        maxAssignments: 2,
        minArtifacts: 0,
        audit: expect.objectContaining({ createdBy: 'operator', lastModifiedBy: 'operator' }),
      });
      const changed = await call('UpdateSoftwareModuleType', { caller, id, colour: 'red' });
      expect(changed).toMatchObject({ id, description: 'fw', colour: 'red' });
      expect((await call('ListSoftwareModuleTypes', { q: `key==${key}*` })).total).toBe(1);
      expect(
        await refused(
          call('CreateSoftwareModuleTypes', { caller, types: [{ key, name: 'Other', maxAssignments: 1 }] }),
        ),
      ).toEqual({
        status: 409,
        body: { ...hawkbitError, errorCode: 'hawkbit.server.error.repo.entitiyAlreayExists' },
      });
      expect(await call('DeleteSoftwareModuleType', { caller, id })).toEqual({});
      expect(await refusalOf(call('GetSoftwareModuleType', { id }))).toEqual({
        status: 404,
        errorCode: 'hawkbit.server.error.repo.entitiyNotFound',
      });
      expect(await refusalOf(call('DeleteSoftwareModuleType', { id: 1 }))).toEqual({
        status: 400,
        errorCode: 'hawkbit.server.error.rest.param.invalid',
      });
    });

    it('creates a set type with its module types and keeps a type in use (409)', async () => {
      const [os] = (await call('ListSoftwareModuleTypes', { q: 'key==os' })).content;
      const key = uniqueName('osonly');
      const [created] = (
        await call('CreateDistributionSetTypes', {
          caller,
          types: [{ key, name: `${key} name`, mandatoryModuleTypeIds: [os.id], optionalModuleTypeIds: [os.id] }],
        })
      ).items;
      expect(created).toMatchObject({
        key,
        name: `${key} name`,
        audit: expect.objectContaining({ createdBy: 'operator' }),
      });
      expect(ids((await call('ListMandatoryModuleTypes', { id: created.id })).items)).toEqual([os.id]);
      expect((await call('ListOptionalModuleTypes', { id: created.id })).items).toBeUndefined();
      expect(
        await refused(
          call('CreateDistributionSetTypes', {
            caller,
            types: [{ key: 'bad', name: 'Bad', optionalModuleTypeIds: [999999] }],
          }),
        ),
      ).toEqual({
        status: 404,
        body: {
          ...hawkbitError,
          errorCode: 'hawkbit.server.error.repo.entitiyNotFound',
          message: 'SoftwareModuleType with given identifier {999999} does not exist.',
        },
      });
      expect(await call('UpdateDistributionSetType', { caller, id: created.id, description: 'only os' })).toMatchObject(
        {
          id: created.id,
          description: 'only os',
        },
      );
      await set(key);
      expect(await refused(call('DeleteDistributionSetType', { caller, id: created.id }))).toEqual({
        status: 409,
        body: { ...hawkbitError, errorCode: 'hawkbit.server.error.entityreadonly' },
      });
      expect((await refusalOf(call('DeleteSoftwareModuleType', { caller, id: os.id })))?.status).toBe(409);
      expect((await call('GetDistributionSetType', { id: created.id })).key).toBe(key);
    });
  });

  describe('software modules', () => {
    it('refuses an unknown module type (404)', async () => {
      expect(
        await refused(
          call('CreateSoftwareModules', { caller, modules: [{ name: 'x', version: '1', type: 'nosuch' }] }),
        ),
      ).toEqual({ status: 404, body: { ...hawkbitError, errorCode: 'hawkbit.server.error.repo.entitiyNotFound' } });
    });

    it('lists with q and sort, changes vendor and description, and deletes', async () => {
      const name = uniqueName('listed');
      const a = await module('os', `${name}-a`);
      const b = await module('application', `${name}-b`);
      const list = await call('ListSoftwareModules', { q: `name==${name}*`, sort: 'name:DESC' });
      expect(ids(list.content)).toEqual([b, a]);
      expect(list.content[0]).toEqual({
        id: b,
        name: `${name}-b`,
        version: '1.0',
        type: 'application',
        typeName: 'Application',
        vendor: 'acme',
        locked: false,
        deleted: false,
        audit: expect.objectContaining({ createdBy: 'operator' }),
      });
      const changed = await call('UpdateSoftwareModule', { caller, id: a, vendor: 'other', description: 'new' });
      expect(changed).toMatchObject({ id: a, vendor: 'other', description: 'new', name: `${name}-a` });
      expect(await call('DeleteSoftwareModule', { caller, id: b })).toEqual({});
      expect((await refusalOf(call('GetSoftwareModule', { id: b })))?.status).toBe(404);
      expect((await refusalOf(call('UpdateSoftwareModule', { caller, id: b, vendor: 'x' })))?.status).toBe(404);
      expect(await refusalOf(call('ListSoftwareModules', { sort: 'size:ASC' }))).toEqual({
        status: 400,
        errorCode: 'hawkbit.server.error.rest.param.sortParamSyntax',
      });
      expect((await refusalOf(call('ListSoftwareModules', { q: 'size==1' })))?.status).toBe(400);
    });

    it('soft-deletes a module a set holds: still readable, no longer listed', async () => {
      const name = uniqueName('held');
      const id = await module('os', name);
      await set('os', [id]);
      await call('DeleteSoftwareModule', { caller, id });
      expect((await call('GetSoftwareModule', { id })).deleted).toBe(true);
      expect(await call('ListSoftwareModules', { q: `name==${name}` })).toEqual({ total: 0 });
    });
  });

  describe('distribution sets', () => {
    it('computes complete from the set type’s mandatory module types, modules in the set’s order', async () => {
      const os = await module('os');
      const app = await module('application');
      const incomplete = await set('os_app', [app]);
      expect(incomplete).toMatchObject({
        type: 'os_app',
        typeName: 'OS with app(s)',
        complete: false,
        locked: false,
        deleted: false,
        requiredMigrationStep: false,
        modules: [{ id: app }],
      });
      const complete = await set('os_app', [app, os]);
      expect(complete.complete).toBe(true);
      expect(ids(complete.modules)).toEqual([app, os]);
      expect(await call('GetDistributionSet', { id: complete.id })).toEqual(complete);
    });

    it('refuses an unknown set type (404), unknown modules (404), a module type the set type lacks (400), a duplicate (409)', async () => {
      const create = (definition: Json) => refused(call('CreateDistributionSets', { caller, sets: [definition] }));
      expect((await create({ name: 'x', version: '1', type: 'nosuch' }))?.status).toBe(404);
      expect(await create({ name: 'x', version: '1', moduleIds: [999999] })).toEqual({
        status: 404,
        body: { ...hawkbitError, message: 'SoftwareModule with given identifier {999999} does not exist.' },
      });
      const app = await module('application');
      const lacking = await create({ name: 'x', version: '1', type: 'os', moduleIds: [app] });
      expect(lacking?.status).toBe(400);
      expect(lacking?.body.message).toContain("not supported by distribution set type 'os'");
      const name = uniqueName('dup');
      await set('os', [], name);
      expect(await create({ name, version: '1.0', type: 'os' })).toEqual({
        status: 409,
        body: { ...hawkbitError, errorCode: 'hawkbit.server.error.repo.entitiyAlreayExists' },
      });
    });

    it('assigns modules, replacing the one allowed once, and lists them', async () => {
      const ds = await set('os_app');
      const os1 = await module('os');
      const os2 = await module('os');
      const app = await module('application');
      expect(await call('AssignModules', { caller, id: ds.id, moduleIds: [os1, app] })).toEqual({});
      await call('AssignModules', { caller, id: ds.id, moduleIds: [os2] });
      const assigned = await call('ListAssignedModules', { id: ds.id, page: { sort: 'id:DESC' } });
      expect(assigned.total).toBe(2);
      expect(ids(assigned.content)).toEqual([Math.max(os2, app), Math.min(os2, app)]);
      const limited = await call('ListAssignedModules', { id: ds.id, page: { limit: 1, offset: 1, sort: 'id:ASC' } });
      expect({ total: limited.total, ids: ids(limited.content) }).toEqual({ total: 2, ids: [Math.max(os2, app)] });
      expect((await call('GetDistributionSet', { id: ds.id })).complete).toBe(true);
      expect(await call('UnassignModule', { caller, id: ds.id, moduleId: os2 })).toEqual({});
      expect((await call('GetDistributionSet', { id: ds.id })).complete).toBe(false);
      expect((await refusalOf(call('UnassignModule', { caller, id: ds.id, moduleId: os2 })))?.status).toBe(404);
      expect((await refusalOf(call('AssignModules', { caller, id: ds.id, moduleIds: [999999] })))?.status).toBe(404);
      expect((await refusalOf(call('AssignModules', { caller, id: 999999, moduleIds: [os1] })))?.status).toBe(404);
      expect((await refusalOf(call('ListAssignedModules', { id: 999999 })))?.status).toBe(404);
    });

    it('locks a set: its modules cannot change (423), a delete keeps it readable as deleted', async () => {
      const os = await module('os');
      const ds = await set('os', [os]);
      const locked = await call('UpdateDistributionSet', { caller, id: ds.id, locked: true, description: 'frozen' });
      expect(locked).toMatchObject({ locked: true, description: 'frozen', name: ds.name });
      expect(await refused(call('AssignModules', { caller, id: ds.id, moduleIds: [await module('os')] }))).toEqual({
        status: 423,
        body: { ...hawkbitError, errorCode: 'hawkbit.server.error.entitiylocked' },
      });
      expect((await refusalOf(call('UnassignModule', { caller, id: ds.id, moduleId: os })))?.status).toBe(423);
      await call('DeleteDistributionSet', { caller, id: ds.id });
      expect((await call('GetDistributionSet', { id: ds.id })).deleted).toBe(true);
      expect(await call('ListDistributionSets', { q: `name==${ds.name}` })).toEqual({ total: 0 });
    });

    it('lists with q and sort, renames (409 on a taken name), deletes an unlocked set', async () => {
      const name = uniqueName('list');
      const os = await module('os');
      const a = await set('os', [os], `${name}-a`);
      const b = await set('app', [], `${name}-b`);
      const list = await call('ListDistributionSets', { q: `name==${name}*`, sort: 'name:DESC', limit: 1 });
      expect({ total: list.total, ids: ids(list.content) }).toEqual({ total: 2, ids: [b.id] });
      const ofType = await call('ListDistributionSets', { q: `name==${name}*;type==os` });
      expect(ofType.content).toEqual([a]);
      expect(ofType.content[0].modules[0]).toMatchObject({ id: os, type: 'os', typeName: 'OS' });
      expect((await call('ListDistributionSets', { q: `name==${name}*;complete==true` })).total).toBe(1);
      expect((await refusalOf(call('UpdateDistributionSet', { caller, id: b.id, name: `${name}-a` })))?.status).toBe(
        409,
      );
      expect(await call('UpdateDistributionSet', { caller, id: b.id, name: `${name}-c` })).toMatchObject({
        name: `${name}-c`,
        version: '1.0',
      });
      await call('DeleteDistributionSet', { caller, id: a.id });
      expect((await refusalOf(call('GetDistributionSet', { id: a.id })))?.status).toBe(404);
      expect((await refusalOf(call('DeleteDistributionSet', { caller, id: a.id })))?.status).toBe(404);
      expect((await refusalOf(call('ListDistributionSets', { sort: 'modules:ASC' })))?.status).toBe(400);
    });

    it('refuses a command without its caller (400) and an id no entity can have (404)', async () => {
      expect(await refusalOf(call('DeleteDistributionSet', { id: 1 }))).toEqual({
        status: 400,
        errorCode: 'hawkbit.server.error.rest.param.invalid',
      });
      expect((await refusalOf(call('GetDistributionSet', { id: 0 })))?.status).toBe(404);
      expect((await refusalOf(call('AssignModules', { caller, id: 1, moduleIds: [-3] })))?.status).toBe(404);
    });
  });
});
