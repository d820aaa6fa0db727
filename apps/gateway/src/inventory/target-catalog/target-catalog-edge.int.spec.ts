import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { bootstrapService, HawkbitHttpError, readPlatformConfig, type UnaryMethod } from '@fleetwave/platform';
import { AppModule } from '../../app.module';
import { parseUsers } from '../../auth/users';
import { standInBackends } from '../../testing/stand-in-backends';

type Json = Record<string, unknown>;

const audit = { createdBy: 'ann', createdAt: 1, lastModifiedBy: 'bob', lastModifiedAt: 2 };
const targetType = { id: 7, key: 'gw', name: 'gateway', colour: 'teal', audit };
const setType = { id: 3, key: 'os', name: 'OS', description: 'the OS', audit };
const tag = { id: 5, name: 'blue', colour: 'blue', audit };
const target = {
  id: 11,
  controllerId: 'dev 1',
  name: 'dev',
  updateStatus: 'registered',
  lastControllerRequestAt: 3,
  targetType: 7,
  targetTypeName: 'gateway',
  audit,
};
const filter = { id: 9, name: 'mine', query: 'name==dev*', audit };

/** The refusal the stand-in answers with, passed on by the gateway as it is. */
const inUse = {
  exceptionClass: 'EntityReadOnlyException',
  errorCode: 'hawkbit.server.error.entityreadonly',
  message: 'target type 8 is assigned to targets',
};

/**
 * The gateway's target catalog routes (`/targettypes`, `/targettags`, `/targetfilters`) in front
 * of a stand-in `TargetCatalog` (the real proto, over a real channel): each route reaches its
 * method with the validated message and the caller, answers hawkBit's JSON with its links,
 * refuses bad input before any call, and passes a refusal on as the service gave it.
 */
describe('target catalog at the gateway', () => {
  const calls: { method: string; request: Json }[] = [];
  let backends: Awaited<ReturnType<typeof standInBackends>>;
  let gateway: INestApplication;
  let base: string;
  const admin = `Basic ${Buffer.from('admin:admin').toString('base64')}`;
  const reader = `Basic ${Buffer.from('reader:pw').toString('base64')}`;
  const users = parseUsers('admin:admin:*;reader:pw:READ_TARGET');
  const caller = { user: 'admin', permissions: expect.arrayContaining(['CREATE_TARGET', 'UPDATE_TARGET']) };

  const answering = (answers: Record<string, (r: Json) => object>) =>
    Object.fromEntries(
      Object.entries(answers).map(([method, answer]): [string, UnaryMethod] => [
        method,
        async (request) => {
          calls.push({ method, request });
          return answer(request);
        },
      ]),
    );

  beforeAll(async () => {
    backends = await standInBackends({
      catalog: answering({
        ListTargetTypes: () => ({ content: [targetType], total: 12 }),
        GetTargetType: () => targetType,
        ListCompatibleSetTypes: () => ({ items: [setType] }),
        CreateTargetTypes: () => ({ items: [targetType] }),
        UpdateTargetType: () => targetType,
        DeleteTargetType: (r) => {
          if (Number(r.id) === 8) throw new HawkbitHttpError(409, inUse);
          return {};
        },
        ListTargetTags: () => ({ content: [tag], total: 1 }),
        GetTargetTag: () => tag,
        CreateTargetTags: () => ({ items: [tag] }),
        UpdateTargetTag: () => tag,
        DeleteTargetTag: () => ({}),
        ListTaggedTargets: () => ({ content: [target], total: 1 }),
        AssignTargetTag: () => ({}),
        UnassignTargetTag: () => ({}),
        ListTargetFilters: () => ({ content: [filter], total: 1 }),
        GetTargetFilter: () => filter,
        CreateTargetFilter: () => filter,
        UpdateTargetFilter: () => filter,
        DeleteTargetFilter: () => ({}),
      }),
    });
    gateway = await bootstrapService(
      AppModule.forRoot(
        users,
        { rolloutCommand: 'http://127.0.0.1:1', reporting: 'http://127.0.0.1:1' },
        { backends: { commands: backends.address, queries: backends.address } },
      ),
      { ...readPlatformConfig('gateway-catalog-edge-test', 1, {}), httpPort: 0 },
    );
    base = `http://127.0.0.1:${(gateway.getHttpServer().address() as AddressInfo).port}/rest/v1`;
  });

  afterAll(async () => {
    await gateway?.close();
    await backends?.stop();
  });

  const send = async (method: string, path: string, body?: unknown, auth = admin) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };
  /** The one call a request made, as the service received it. */
  const onlyCall = async (request: Promise<unknown>) => {
    const before = calls.length;
    const answer = await request;
    expect(calls.slice(before)).toHaveLength(1);
    return { answer, call: calls[calls.length - 1] };
  };

  const renderedType = {
    id: 7,
    key: 'gw',
    name: 'gateway',
    description: '',
    colour: 'teal',
    deleted: false,
    ...audit,
    _links: { self: { href: '/rest/v1/targettypes/7' } },
  };
  const renderedTag = {
    id: 5,
    name: 'blue',
    description: '',
    colour: 'blue',
    ...audit,
    _links: { self: { href: '/rest/v1/targettags/5' } },
  };
  const renderedFilter = {
    id: 9,
    name: 'mine',
    query: 'name==dev*',
    confirmationRequired: false,
    ...audit,
    _links: { self: { href: '/rest/v1/targetfilters/9' } },
  };

  it('serves target types from TargetCatalog with the caller, as hawkBit renders them', async () => {
    expect(await onlyCall(send('GET', '/targettypes?limit=5&q=name==gate*&sort=name:ASC'))).toEqual({
      answer: { status: 200, body: { content: [renderedType], total: 12, size: 1 } },
      call: { method: 'ListTargetTypes', request: { offset: 0, limit: 5, q: 'name==gate*', sort: 'name:ASC' } },
    });
    expect(await onlyCall(send('GET', '/targettypes/7'))).toEqual({
      answer: { status: 200, body: renderedType },
      call: { method: 'GetTargetType', request: { id: 7 } },
    });
    expect(await onlyCall(send('GET', '/targettypes/7/compatibledistributionsettypes'))).toEqual({
      answer: {
        status: 200,
        body: [
          {
            id: 3,
            key: 'os',
            name: 'OS',
            description: 'the OS',
            deleted: false,
            ...audit,
            _links: { self: { href: '/rest/v1/distributionsettypes/3' } },
          },
        ],
      },
      call: { method: 'ListCompatibleSetTypes', request: { id: 7 } },
    });
    const created = await onlyCall(
      send('POST', '/targettypes', [
        { name: 'gateway', colour: 'teal', compatibledistributionsettypes: [{ id: 3 }, { id: 4 }] },
        { name: 'plain', key: 'p', description: 'd' },
      ]),
    );
    expect(created).toEqual({
      answer: { status: 201, body: [renderedType] },
      call: {
        method: 'CreateTargetTypes',
        request: {
          caller,
          types: [
            { name: 'gateway', colour: 'teal', compatibleSetTypeIds: [3, 4] },
            { name: 'plain', key: 'p', description: 'd' },
          ],
        },
      },
    });
    expect(await onlyCall(send('PUT', '/targettypes/7', { colour: 'red', unknown: 1 }))).toEqual({
      answer: { status: 200, body: renderedType },
      call: { method: 'UpdateTargetType', request: { caller, id: 7, colour: 'red' } },
    });
    expect(await onlyCall(send('DELETE', '/targettypes/7'))).toEqual({
      answer: { status: 204, body: undefined },
      call: { method: 'DeleteTargetType', request: { caller, id: 7 } },
    });
  });

  it('serves target tags and their targets, each assignment with its policy and controllerIds', async () => {
    expect(await onlyCall(send('GET', '/targettags'))).toEqual({
      answer: { status: 200, body: { content: [renderedTag], total: 1, size: 1 } },
      call: { method: 'ListTargetTags', request: { offset: 0, limit: 50 } },
    });
    expect(await onlyCall(send('GET', '/targettags/5'))).toEqual({
      answer: { status: 200, body: renderedTag },
      call: { method: 'GetTargetTag', request: { id: 5 } },
    });
    expect(await onlyCall(send('POST', '/targettags', [{ name: 'blue', colour: 'blue' }, { name: 'red' }]))).toEqual({
      answer: { status: 201, body: [renderedTag] },
      call: {
        method: 'CreateTargetTags',
        request: { caller, tags: [{ name: 'blue', colour: 'blue' }, { name: 'red' }] },
      },
    });
    expect(await onlyCall(send('PUT', '/targettags/5', { name: 'navy' }))).toEqual({
      answer: { status: 200, body: renderedTag },
      call: { method: 'UpdateTargetTag', request: { caller, id: 5, name: 'navy' } },
    });
    expect(await onlyCall(send('DELETE', '/targettags/5'))).toEqual({
      answer: { status: 204, body: undefined },
      call: { method: 'DeleteTargetTag', request: { caller, id: 5 } },
    });
    expect(await onlyCall(send('GET', '/targettags/5/assigned?offset=10&sort=controllerId:DESC'))).toEqual({
      answer: {
        status: 200,
        body: {
          content: [
            {
              id: 11,
              controllerId: 'dev 1',
              name: 'dev',
              description: '',
              updateStatus: 'registered',
              lastControllerRequestAt: 3,
              requestAttributes: true,
              targetType: 7,
              targetTypeName: 'gateway',
              ...audit,
              _links: { self: { href: '/rest/v1/targets/dev%201' } },
            },
          ],
          total: 1,
          size: 1,
        },
      },
      call: {
        method: 'ListTaggedTargets',
        request: { id: 5, page: { offset: 10, limit: 50, sort: 'controllerId:DESC' } },
      },
    });
    const assigned = await onlyCall(
      send('POST', '/targettags/5/assigned?onNotFoundPolicy=ON_WHAT_FOUND_AND_FAIL', ['a', 'b', 'a']),
    );
    expect(assigned).toEqual({
      answer: { status: 204, body: undefined },
      call: {
        method: 'AssignTargetTag',
        request: { caller, tagId: 5, controllerIds: ['a', 'b'], onNotFoundPolicy: 'ON_WHAT_FOUND_AND_FAIL' },
      },
    });
    expect(await onlyCall(send('DELETE', '/targettags/5/assigned', ['a']))).toEqual({
      answer: { status: 204, body: undefined },
      call: { method: 'UnassignTargetTag', request: { caller, tagId: 5, controllerIds: ['a'] } },
    });
    expect(await onlyCall(send('POST', '/targettags/5/assigned/dev%201'))).toEqual({
      answer: { status: 204, body: undefined },
      call: { method: 'AssignTargetTag', request: { caller, tagId: 5, controllerIds: ['dev 1'] } },
    });
    expect(await onlyCall(send('DELETE', '/targettags/5/assigned/dev-2'))).toEqual({
      answer: { status: 204, body: undefined },
      call: { method: 'UnassignTargetTag', request: { caller, tagId: 5, controllerIds: ['dev-2'] } },
    });
  });

  it('serves saved target filters', async () => {
    expect(await onlyCall(send('GET', '/targetfilters?q=name==mine'))).toEqual({
      answer: { status: 200, body: { content: [renderedFilter], total: 1, size: 1 } },
      call: { method: 'ListTargetFilters', request: { offset: 0, limit: 50, q: 'name==mine' } },
    });
    expect(await onlyCall(send('GET', '/targetfilters/9'))).toEqual({
      answer: { status: 200, body: renderedFilter },
      call: { method: 'GetTargetFilter', request: { id: 9 } },
    });
    expect(await onlyCall(send('POST', '/targetfilters', { name: 'mine', query: 'name==dev*' }))).toEqual({
      answer: { status: 201, body: renderedFilter },
      call: { method: 'CreateTargetFilter', request: { caller, name: 'mine', query: 'name==dev*' } },
    });
    expect(await onlyCall(send('PUT', '/targetfilters/9', { query: 'updatestatus==error' }))).toEqual({
      answer: { status: 200, body: renderedFilter },
      call: { method: 'UpdateTargetFilter', request: { caller, id: 9, query: 'updatestatus==error' } },
    });
    expect(await onlyCall(send('DELETE', '/targetfilters/9'))).toEqual({
      answer: { status: 204, body: undefined },
      call: { method: 'DeleteTargetFilter', request: { caller, id: 9 } },
    });
  });

  it.each([
    ['a tag without a name', 'POST', '/targettags', [{ colour: 'x' }], 400],
    ['a tag body that is no array', 'POST', '/targettags', { name: 'x' }, 400],
    ['a tag renamed to null', 'PUT', '/targettags/5', { name: null }, 400],
    ['a controllerId that is no string', 'POST', '/targettags/5/assigned', [42], 400],
    ['an assignment body that is no array', 'DELETE', '/targettags/5/assigned', { controllerId: 'a' }, 400],
    ['an unassignment without a body', 'DELETE', '/targettags/5/assigned', undefined, 400],
    ['an unknown policy', 'POST', '/targettags/5/assigned?onNotFoundPolicy=NOPE', ['a'], 400],
    ['a controllerId too long', 'POST', `/targettags/5/assigned/${'x'.repeat(257)}`, undefined, 400],
    ['a tag id that is not numeric', 'GET', '/targettags/blue', undefined, 400],
    ['a tag id no tag can have', 'GET', '/targettags/0/assigned', undefined, 404],
    ['a target type without a name', 'POST', '/targettypes', [{ key: 'k' }], 400],
    [
      'a compatible set type id of 0',
      'POST',
      '/targettypes',
      [{ name: 'x', compatibledistributionsettypes: [{ id: 0 }] }],
      400,
    ],
    ['a target type name too long', 'PUT', '/targettypes/7', { name: 'n'.repeat(129) }, 400],
    ['a filter without a query', 'POST', '/targetfilters', { name: 'x' }, 400],
    ['a filter without a name', 'POST', '/targetfilters', { query: 'name==x' }, 400],
    ['a filter query emptied', 'PUT', '/targetfilters/9', { query: '' }, 400],
    ['a page beyond the limit', 'GET', '/targetfilters?limit=501', undefined, 400],
  ])('refuses %s at the gateway, before any call', async (_case, method, path, body, status) => {
    const before = calls.length;
    const answer = await send(method, path, body);
    expect(answer).toEqual({
      status,
      body: { exceptionClass: expect.any(String), errorCode: expect.any(String), message: expect.any(String) },
    });
    expect(calls.length).toBe(before);
  });

  it('checks the permission before any call: reading needs READ_TARGET, a change its own', async () => {
    expect((await send('GET', '/targetfilters/9', undefined, reader)).status).toBe(200);
    const before = calls.length;
    const refused = await send('POST', '/targettags/5/assigned', ['a'], reader);
    expect(refused).toMatchObject({ status: 403, body: { message: 'CREATE_TARGET is required' } });
    expect((await send('DELETE', '/targettypes/7', undefined, reader)).status).toBe(403);
    expect(calls.length).toBe(before);
  });

  it("answers a service's refusal with its exact status and hawkBit body", async () => {
    expect(await send('DELETE', '/targettypes/8')).toEqual({ status: 409, body: inUse });
  });

  it('answers 503 when the target catalog cannot be reached', async () => {
    const lonely = await bootstrapService(
      AppModule.forRoot(
        users,
        { rolloutCommand: 'http://127.0.0.1:1', reporting: 'http://127.0.0.1:1' },
        { backends: { commands: '127.0.0.1:1', queries: '127.0.0.1:1' } },
      ),
      { ...readPlatformConfig('gateway-catalog-edge-test', 1, {}), httpPort: 0 },
    );
    try {
      const url = `http://127.0.0.1:${(lonely.getHttpServer().address() as AddressInfo).port}/rest/v1/targettags/5`;
      const answer = await fetch(url, { headers: { authorization: admin } });
      expect({ status: answer.status, body: await answer.json() }).toMatchObject({
        status: 503,
        body: { errorCode: 'hawkbit.server.error.unavailable' },
      });
    } finally {
      await lonely.close();
    }
  });
});
