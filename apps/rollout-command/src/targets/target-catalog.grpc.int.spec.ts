import type { HawkbitErrorBody } from '@fleetwave/platform';
import { refusalOf, uniqueName } from '@fleetwave/testing';
import { INVENTORY_SCHEMA } from '../inventory/inventory.migration';
import { InventoryFixture } from '../inventory/testing/inventory.fixture';

type Json = Record<string, unknown>;

const notFound = 'hawkbit.server.error.repo.entitiyNotFound';
const taken = 'hawkbit.server.error.repo.entitiyAlreayExists';

/**
 * `fleetwave.internal.v1.TargetCatalog` over a real channel, on Postgres: target tags (and their
 * targets), target types and saved target filters, each refusal the REST answer it would have
 * been. What a tag or a type does to targets is read through `Targets`, as the gateway reads it.
 */
describe('target catalog over gRPC (Postgres)', () => {
  const fx = new InventoryFixture();
  const caller = { user: 'operator', permissions: ['CREATE_TARGET', 'UPDATE_TARGET', 'DELETE_TARGET'] };
  const catalog = (method: string, request: Json = {}) => fx.client('catalog').call(method, request);
  const targets = (method: string, request: Json) => fx.client('targets').call(method, request);
  /** The status and the whole hawkBit body a call was refused with. */
  const refused = (work: Promise<unknown>) =>
    work.then(
      () => undefined,
      (e: { getStatus(): number; body: HawkbitErrorBody }) => ({ status: e.getStatus(), body: e.body }),
    );

  beforeAll(async () => {
    await fx.start();
    await fx.pool.query(
      `insert into ${INVENTORY_SCHEMA}.targets (controller_id, name) select 'cat-' || i, 'cat ' || i from generate_series(1, 6) as i`,
    );
  });
  afterAll(() => fx.stop());

  const controllerIds = (page: Json) => (page.content as { controllerId: string }[]).map((t) => t.controllerId);
  const tagged = (tagId: number, page: Json = {}) => catalog('ListTaggedTargets', { id: tagId, page });
  const total = async (work: Promise<Json>) => Number((await work).total);
  const newTag = async (name = uniqueName('tag')) =>
    ((await catalog('CreateTargetTags', { caller, tags: [{ name }] })).items as Json[])[0] as { id: number };

  describe('distribution sets of a target', () => {
    it('answers the assigned and the installed set, none while there is none, 404 for an unknown target', async () => {
      expect(await targets('GetAssignedSet', { controllerId: 'cat-5' })).toEqual({});
      expect(await targets('GetInstalledSet', { controllerId: 'cat-5' })).toEqual({});
      expect(await refusalOf(targets('GetAssignedSet', { controllerId: 'ghost' }))).toEqual({
        status: 404,
        errorCode: notFound,
      });
      const name = uniqueName('ds');
      const created = await fx.client('repository').call('CreateDistributionSets', {
        caller,
        sets: [{ name, version: '1.0' }],
      });
      const set = (created.items as { id: number }[])[0];
      // As the action-status consumer leaves a target whose action is running (assigned, not yet installed).
      await fx.pool.query(`update ${INVENTORY_SCHEMA}.targets set assigned_ds_id = $1 where controller_id = 'cat-5'`, [
        set.id,
      ]);
      expect(await targets('GetAssignedSet', { controllerId: 'cat-5' })).toEqual({
        set: expect.objectContaining({ id: set.id, name, version: '1.0' }),
      });
      expect(await targets('GetInstalledSet', { controllerId: 'cat-5' })).toEqual({});
    });
  });

  describe('target tags', () => {
    it('creates, reads, lists, renames and deletes tags; a taken name is a 409', async () => {
      const name = uniqueName('tag');
      const { items } = await catalog('CreateTargetTags', {
        caller,
        tags: [{ name, colour: 'red', description: 'd' }],
      });
      const [tag] = items as { id: number }[];
      expect(tag).toEqual({
        id: expect.any(Number),
        name,
        description: 'd',
        colour: 'red',
        audit: {
          createdBy: 'operator',
          createdAt: expect.any(Number),
          lastModifiedBy: 'operator',
          lastModifiedAt: expect.any(Number),
        },
      });
      expect(await catalog('GetTargetTag', { id: tag.id })).toEqual(tag);
      expect(await refusalOf(catalog('CreateTargetTags', { caller, tags: [{ name }] }))).toEqual({
        status: 409,
        errorCode: taken,
      });
      expect(await catalog('ListTargetTags', { q: `name==${name}` })).toEqual({ content: [tag], total: 1 });
      const renamed = await catalog('UpdateTargetTag', { caller: { user: 'editor' }, id: tag.id, name: `${name}-new` });
      expect(renamed).toMatchObject({ name: `${name}-new`, description: 'd', audit: { lastModifiedBy: 'editor' } });
      expect(await catalog('DeleteTargetTag', { caller, id: tag.id })).toEqual({});
      expect(await refusalOf(catalog('GetTargetTag', { id: tag.id }))).toEqual({ status: 404, errorCode: notFound });
      expect(await refusalOf(catalog('DeleteTargetTag', { caller, id: tag.id }))).toEqual({
        status: 404,
        errorCode: notFound,
      });
    });

    it('assigns and unassigns targets, which the tag filter and the assigned list then see', async () => {
      const name = uniqueName('fleet');
      const tag = await newTag(name);
      const change = (method: string, ids: string[]) => catalog(method, { caller, tagId: tag.id, controllerIds: ids });
      await change('AssignTargetTag', ['cat-1', 'cat-2', 'cat-3']);
      await change('AssignTargetTag', ['cat-3']);
      await change('UnassignTargetTag', ['cat-2']);
      expect(await change('AssignTargetTag', ['cat-4'])).toEqual({});
      const assigned = await tagged(tag.id, { sort: 'controllerId:DESC' });
      expect(controllerIds(assigned)).toEqual(['cat-4', 'cat-3', 'cat-1']);
      expect((assigned.content as Json[])[0]).toMatchObject({
        controllerId: 'cat-4',
        name: 'cat 4',
        updateStatus: 'registered',
        audit: { lastModifiedBy: 'operator' },
      });
      const filtered = await targets('ListTargets', { q: `tag==${name}`, sort: 'controllerId:ASC' });
      expect(controllerIds(filtered)).toEqual(['cat-1', 'cat-3', 'cat-4']);
      const tagsOfTarget = await targets('ListTags', { controllerId: 'cat-3' });
      expect((tagsOfTarget.items as Json[]).map((t) => t.id)).toEqual([tag.id]);
      expect((await targets('ListTags', { controllerId: 'cat-2' })).items ?? []).toEqual([]);
      await change('UnassignTargetTag', ['cat-1']);
      expect(await total(tagged(tag.id))).toBe(2);

      await catalog('UpdateTargetTag', { caller, id: tag.id, name: `${name}-renamed` });
      expect(await total(targets('ListTargets', { q: `tag==${name}-renamed` }))).toBe(2);
      await catalog('DeleteTargetTag', { caller, id: tag.id });
      expect(await total(targets('ListTargets', { q: `tag==${name}-renamed` }))).toBe(0);
    });

    it('fails an assignment naming unknown targets (404) unless the policy says otherwise', async () => {
      const tag = await newTag(uniqueName('p'));
      const assign = (ids: string[], onNotFoundPolicy?: string) =>
        catalog('AssignTargetTag', { caller, tagId: tag.id, controllerIds: ids, onNotFoundPolicy });
      const failed = await refused(assign(['cat-5', 'ghost']));
      expect(failed).toEqual({ status: 404, body: expect.objectContaining({ errorCode: notFound }) });
      expect(failed?.body.message).toContain('ghost');
      expect(await total(tagged(tag.id))).toBe(0);
      await assign(['cat-5', 'ghost'], 'ON_WHAT_FOUND_AND_SUCCESS');
      expect(controllerIds(await tagged(tag.id))).toEqual(['cat-5']);
      expect(await refusalOf(assign(['cat-6', 'ghost'], 'ON_WHAT_FOUND_AND_FAIL'))).toEqual({
        status: 404,
        errorCode: notFound,
      });
      expect(await total(tagged(tag.id))).toBe(2);
      expect(await refusalOf(assign(['cat-1'], 'NOPE'))).toEqual({
        status: 400,
        errorCode: 'hawkbit.server.error.rest.param.invalid',
      });
      expect(await refusalOf(catalog('AssignTargetTag', { caller, tagId: 999999, controllerIds: ['cat-1'] }))).toEqual({
        status: 404,
        errorCode: notFound,
      });
      expect(await refusalOf(catalog('AssignTargetTag', { tagId: tag.id, controllerIds: ['cat-1'] }))).toEqual({
        status: 400,
        errorCode: 'hawkbit.server.error.rest.param.invalid',
      });
    });
  });

  describe('target types', () => {
    it('creates a type compatible with set types, assigns it to a target, and keeps it while in use (409)', async () => {
      const { rows } = await fx.pool.query<{ id: string }>(
        `select id from ${INVENTORY_SCHEMA}.distribution_set_types where key = 'os'`,
      );
      const os = Number(rows[0].id);
      const name = uniqueName('gateway');
      const { items } = await catalog('CreateTargetTypes', {
        caller,
        types: [{ name, colour: '#aaafff', compatibleSetTypeIds: [os] }],
      });
      const [type] = items as { id: number }[];
      expect(type).toEqual({
        id: expect.any(Number),
        name,
        key: name,
        colour: '#aaafff',
        audit: expect.objectContaining({ createdBy: 'operator' }),
      });
      expect(await catalog('GetTargetType', { id: type.id })).toEqual(type);
      const compatible = await catalog('ListCompatibleSetTypes', { id: type.id });
      expect(compatible).toEqual({ items: [expect.objectContaining({ id: os, key: 'os' })] });
      expect(await refusalOf(catalog('CreateTargetTypes', { caller, types: [{ name }] }))).toEqual({
        status: 409,
        errorCode: taken,
      });
      const unknownSetType = await refused(
        catalog('CreateTargetTypes', { caller, types: [{ name: 'x', compatibleSetTypeIds: [999999] }] }),
      );
      expect(unknownSetType).toEqual({ status: 404, body: expect.objectContaining({ errorCode: notFound }) });
      expect(unknownSetType?.body.message).toContain('999999');

      const assigned = await targets('UpdateTarget', { caller, controllerId: 'cat-6', targetType: type.id });
      expect(assigned).toMatchObject({ targetType: type.id, targetTypeName: name });
      expect(await total(targets('ListTargets', { q: `type==${name}` }))).toBe(1);
      expect(await refusalOf(catalog('DeleteTargetType', { caller, id: type.id }))).toEqual({
        status: 409,
        errorCode: 'hawkbit.server.error.entityreadonly',
      });
      await targets('UnassignType', { caller, controllerId: 'cat-6' });
      expect((await targets('GetTarget', { controllerId: 'cat-6' })).targetType).toBeUndefined();
      await targets('AssignType', { caller, controllerId: 'cat-6', targetType: type.id });
      expect((await targets('GetTarget', { controllerId: 'cat-6' })).targetType).toBe(type.id);
      await targets('UnassignType', { caller, controllerId: 'cat-6' });

      const typed = uniqueName('typed');
      const created = await targets('CreateTargets', {
        caller,
        targets: [{ controllerId: typed, targetType: type.id }],
      });
      expect((created.items as Json[])[0]).toMatchObject({ controllerId: typed, targetType: type.id });
      expect(
        await refusalOf(
          targets('CreateTargets', { caller, targets: [{ controllerId: uniqueName('x'), targetType: 999999 }] }),
        ),
      ).toEqual({ status: 404, errorCode: notFound });
      await targets('DeleteTarget', { caller, controllerId: typed });

      const renamed = await catalog('UpdateTargetType', { caller, id: type.id, name: `${name}-2` });
      expect(renamed).toMatchObject({ name: `${name}-2`, key: name, colour: '#aaafff' });
      expect(await total(catalog('ListTargetTypes', { q: `name==${name}-2` }))).toBe(1);
      expect(await catalog('DeleteTargetType', { caller, id: type.id })).toEqual({});
      expect(await refusalOf(catalog('GetTargetType', { id: type.id }))).toEqual({ status: 404, errorCode: notFound });
    });
  });

  describe('target filters', () => {
    it('saves, reads, lists, changes and deletes a filter', async () => {
      const name = uniqueName('filter');
      const created = await catalog('CreateTargetFilter', { caller, name, query: 'name==cat*' });
      expect(created).toEqual({
        id: expect.any(Number),
        name,
        query: 'name==cat*',
        audit: expect.objectContaining({ createdBy: 'operator', lastModifiedBy: 'operator' }),
      });
      const id = Number(created.id);
      expect(await catalog('GetTargetFilter', { id })).toEqual(created);
      expect(await catalog('ListTargetFilters', { q: `name==${name}`, sort: 'name:DESC' })).toEqual({
        content: [created],
        total: 1,
      });
      const changed = await catalog('UpdateTargetFilter', { caller, id, query: 'updatestatus==error' });
      expect(changed).toMatchObject({ name, query: 'updatestatus==error' });
      expect(await refusalOf(catalog('CreateTargetFilter', { caller, name, query: 'name==x' }))).toEqual({
        status: 409,
        errorCode: taken,
      });
      expect(await catalog('DeleteTargetFilter', { caller, id })).toEqual({});
      expect(await refusalOf(catalog('GetTargetFilter', { id }))).toEqual({ status: 404, errorCode: notFound });
      expect(await refusalOf(catalog('UpdateTargetFilter', { caller, id, name: 'x' }))).toEqual({
        status: 404,
        errorCode: notFound,
      });
    });

    it.each([
      ['name==', /position 7/, 'rsqlParamSyntax'],
      ['name==a;(b==c', /position/, 'rsqlParamSyntax'],
      ['colour==red', /unknown field 'colour' at position 1/, 'rsqlInvalidField'],
      ['updatestatus==sleeping', /position 1/, 'rsqlParamSyntax'],
    ])('refuses the malformed query %j with a 400 naming the position', async (query, message, code) => {
      for (const method of ['CreateTargetFilter', 'UpdateTargetFilter']) {
        const answer = await refused(catalog(method, { caller, id: 1, name: uniqueName('bad'), query }));
        expect({ method, answer }).toEqual({
          method,
          answer: {
            status: 400,
            body: {
              exceptionClass: expect.any(String),
              errorCode: `hawkbit.server.error.rest.param.${code}`,
              message: expect.stringMatching(message),
            },
          },
        });
      }
    });
  });
});
