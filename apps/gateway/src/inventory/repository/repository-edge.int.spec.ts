import type { INestApplication } from '@nestjs/common';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bootstrapService, HawkbitHttpError, readPlatformConfig } from '@fleetwave/platform';
import { AppModule } from '../../app.module';
import { parseUsers } from '../../auth/users';
import { standInBackends } from '../../testing/stand-in-backends';

type Json = Record<string, unknown>;

/**
 * The repository routes of the gateway, started in-process as the service starts, in front of a
 * stand-in of rollout-command's internal `Repository` service (the real proto, over a real
 * channel): each route reaches its method with its message and the caller, answers hawkBit's
 * JSON, refuses bad input before any call, and passes a refusal of the service on unchanged.
 * Nothing is forwarded over HTTP.
 */
describe('gateway repository routes', () => {
  const calls: { method: string; request: Json }[] = [];
  const forwarded: string[] = [];
  let backends: Awaited<ReturnType<typeof standInBackends>>;
  let upstream: Server;
  let gateway: INestApplication;
  let base: string;
  const admin = `Basic ${Buffer.from('admin:admin').toString('base64')}`;
  const reader = `Basic ${Buffer.from('reader:pw').toString('base64')}`;

  const audit = { createdBy: 'ann', createdAt: 1_000, lastModifiedBy: 'bob', lastModifiedAt: 2_000 };
  const moduleType = { id: 4, key: 'os', name: 'OS', maxAssignments: 1, minArtifacts: 0, audit };
  const setType = { id: 5, key: 'os_app', name: 'OS with app(s)', description: 'both', colour: 'blue', audit };
  const module = { id: 11, name: 'kernel', version: '6.1', type: 'os', typeName: 'OS', vendor: 'acme', audit };
  const set = {
    id: 7,
    name: 'stack',
    version: '2.0',
    type: 'os_app',
    typeName: 'OS with app(s)',
    complete: true,
    locked: true,
    deleted: false,
    requiredMigrationStep: false,
    modules: [module],
    audit,
  };
  const lockedBody = {
    exceptionClass: 'LockedException',
    errorCode: 'hawkbit.server.error.entitiylocked',
    message: 'distribution set 423 is locked: its software modules cannot change',
  };
  const inUseBody = {
    exceptionClass: 'EntityReadOnlyException',
    errorCode: 'hawkbit.server.error.entityreadonly',
    message: 'distribution set type 409 is used by distribution sets or target types',
  };

  beforeAll(async () => {
    const answering = (answer: (r: Json) => object) => (method: string) => async (request: Json) => {
      calls.push({ method, request });
      return answer(request);
    };
    const page = (view: object) => answering(() => ({ content: [view], total: 31 }));
    const one = (view: object) => answering(() => view);
    const list = (view: object) => answering(() => ({ items: [view] }));
    const done = answering(() => ({}));
    const methods: Record<string, (method: string) => (request: Json) => Promise<object>> = {
      ListSoftwareModuleTypes: page(moduleType),
      GetSoftwareModuleType: one(moduleType),
      CreateSoftwareModuleTypes: list(moduleType),
      UpdateSoftwareModuleType: one(moduleType),
      DeleteSoftwareModuleType: done,
      ListDistributionSetTypes: page(setType),
      GetDistributionSetType: one(setType),
      ListMandatoryModuleTypes: list(moduleType),
      ListOptionalModuleTypes: answering(() => ({})),
      CreateDistributionSetTypes: list(setType),
      UpdateDistributionSetType: one(setType),
      DeleteDistributionSetType: answering((r) => {
        if (r.id === 409) throw new HawkbitHttpError(409, inUseBody);
        return {};
      }),
      ListSoftwareModules: page(module),
      GetSoftwareModule: one(module),
      CreateSoftwareModules: list(module),
      UpdateSoftwareModule: one(module),
      DeleteSoftwareModule: done,
      ListDistributionSets: page(set),
      GetDistributionSet: one(set),
      CreateDistributionSets: list(set),
      UpdateDistributionSet: one(set),
      DeleteDistributionSet: done,
      ListAssignedModules: page(module),
      AssignModules: answering((r) => {
        if (r.id === 423) throw new HawkbitHttpError(423, lockedBody);
        return {};
      }),
      UnassignModule: done,
    };
    backends = await standInBackends({
      repository: Object.fromEntries(Object.entries(methods).map(([name, method]) => [name, method(name)])),
    });
    upstream = createServer((req, res) => {
      forwarded.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    gateway = await bootstrapService(
      AppModule.forRoot(
        parseUsers('admin:admin:*;reader:pw:READ_REPOSITORY'),
        { rolloutCommand: upstreamUrl, reporting: upstreamUrl },
        { backends: { commands: backends.address, queries: backends.address } },
      ),
      { ...readPlatformConfig('gateway-repository-edge-test', 1, {}), httpPort: 0 },
    );
    base = `http://127.0.0.1:${(gateway.getHttpServer().address() as AddressInfo).port}/rest/v1`;
  });

  afterAll(async () => {
    await gateway?.close();
    await backends?.stop();
    await new Promise((resolve) => upstream?.close(resolve));
  });

  const send = async (method: string, path: string, body?: unknown, user = admin) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: user, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };
  const caller = { user: 'admin', permissions: expect.arrayContaining(['CREATE_REPOSITORY', 'DELETE_REPOSITORY']) };
  const firstPage = { offset: 0, limit: 50 };

  it.each([
    [
      'GET',
      '/softwaremoduletypes?sort=key:ASC&q=key==os*',
      undefined,
      200,
      'ListSoftwareModuleTypes',
      { ...firstPage, sort: 'key:ASC', q: 'key==os*' },
    ],
    ['GET', '/softwaremoduletypes/4', undefined, 200, 'GetSoftwareModuleType', { id: 4 }],
    [
      'POST',
      '/softwaremoduletypes',
      [{ key: 'fw', name: 'Firmware', maxAssignments: 2, minArtifacts: 0, extra: 'dropped' }],
      201,
      'CreateSoftwareModuleTypes',
      { caller, types: [{ key: 'fw', name: 'Firmware', maxAssignments: 2, minArtifacts: 0 }] },
    ],
    [
      'PUT',
      '/softwaremoduletypes/4',
      { colour: 'red' },
      200,
      'UpdateSoftwareModuleType',
      { caller, id: 4, colour: 'red' },
    ],
    ['DELETE', '/softwaremoduletypes/4', undefined, 204, 'DeleteSoftwareModuleType', { caller, id: 4 }],
    [
      'GET',
      '/distributionsettypes?offset=10&limit=5',
      undefined,
      200,
      'ListDistributionSetTypes',
      { offset: 10, limit: 5 },
    ],
    ['GET', '/distributionsettypes/5', undefined, 200, 'GetDistributionSetType', { id: 5 }],
    ['GET', '/distributionsettypes/5/mandatorymoduletypes', undefined, 200, 'ListMandatoryModuleTypes', { id: 5 }],
    ['GET', '/distributionsettypes/5/optionalmoduletypes', undefined, 200, 'ListOptionalModuleTypes', { id: 5 }],
    [
      'POST',
      '/distributionsettypes',
      [{ key: 'k', name: 'n', colour: 'c', mandatorymodules: [{ id: 4 }], optionalmodules: [{ id: 6 }, { id: 8 }] }],
      201,
      'CreateDistributionSetTypes',
      {
        caller,
        types: [{ key: 'k', name: 'n', colour: 'c', mandatoryModuleTypeIds: [4], optionalModuleTypeIds: [6, 8] }],
      },
    ],
    [
      'PUT',
      '/distributionsettypes/5',
      { description: 'd' },
      200,
      'UpdateDistributionSetType',
      { caller, id: 5, description: 'd' },
    ],
    ['DELETE', '/distributionsettypes/5', undefined, 204, 'DeleteDistributionSetType', { caller, id: 5 }],
    ['GET', '/softwaremodules?q=name==k*', undefined, 200, 'ListSoftwareModules', { ...firstPage, q: 'name==k*' }],
    ['GET', '/softwaremodules/11', undefined, 200, 'GetSoftwareModule', { id: 11 }],
    [
      'POST',
      '/softwaremodules',
      [{ name: 'kernel', version: '6.1', type: 'os', vendor: 'acme', encrypted: false }],
      201,
      'CreateSoftwareModules',
      { caller, modules: [{ name: 'kernel', version: '6.1', type: 'os', vendor: 'acme' }] },
    ],
    [
      'PUT',
      '/softwaremodules/11',
      { locked: true, description: 'x', vendor: null },
      200,
      'UpdateSoftwareModule',
      { caller, id: 11, locked: true, description: 'x' },
    ],
    ['DELETE', '/softwaremodules/11', undefined, 204, 'DeleteSoftwareModule', { caller, id: 11 }],
    [
      'GET',
      '/distributionsets?sort=name:DESC',
      undefined,
      200,
      'ListDistributionSets',
      { ...firstPage, sort: 'name:DESC' },
    ],
    ['GET', '/distributionsets/7', undefined, 200, 'GetDistributionSet', { id: 7 }],
    [
      'POST',
      '/distributionsets',
      [{ name: 'stack', version: '2.0', requiredMigrationStep: true, modules: [{ id: 11 }, { id: 12 }] }],
      201,
      'CreateDistributionSets',
      { caller, sets: [{ name: 'stack', version: '2.0', requiredMigrationStep: true, moduleIds: [11, 12] }] },
    ],
    [
      'PUT',
      '/distributionsets/7',
      { name: 'renamed', locked: false },
      200,
      'UpdateDistributionSet',
      { caller, id: 7, name: 'renamed', locked: false },
    ],
    ['DELETE', '/distributionsets/7', undefined, 204, 'DeleteDistributionSet', { caller, id: 7 }],
    [
      'GET',
      '/distributionsets/7/assignedSM?limit=10&sort=id:DESC',
      undefined,
      200,
      'ListAssignedModules',
      { id: 7, page: { offset: 0, limit: 10, sort: 'id:DESC' } },
    ],
    [
      'POST',
      '/distributionsets/7/assignedSM',
      [{ id: 11 }, { id: 12 }],
      204,
      'AssignModules',
      { caller, id: 7, moduleIds: [11, 12] },
    ],
    ['DELETE', '/distributionsets/7/assignedSM/11', undefined, 204, 'UnassignModule', { caller, id: 7, moduleId: 11 }],
  ])('%s %s → %i, one call of %s', async (method, path, body, status, grpcMethod, request) => {
    const before = calls.length;
    expect((await send(method, path, body)).status).toBe(status);
    expect(calls.slice(before)).toEqual([{ method: grpcMethod, request }]);
    expect(forwarded).toEqual([]);
  });

  it('renders a distribution set with its modules as hawkBit does', async () => {
    const hawkbitModule = {
      id: 11,
      name: 'kernel',
      version: '6.1',
      type: 'os',
      typeName: 'OS',
      vendor: 'acme',
      description: '',
      encrypted: false,
      locked: false,
      deleted: false,
      complete: true,
      ...audit,
      _links: { self: { href: '/rest/v1/softwaremodules/11' } },
    };
    const hawkbitSet = {
      id: 7,
      name: 'stack',
      version: '2.0',
      type: 'os_app',
      typeName: 'OS with app(s)',
      description: '',
      complete: true,
      locked: true,
      deleted: false,
      valid: true,
      requiredMigrationStep: false,
      modules: [hawkbitModule],
      ...audit,
      _links: { self: { href: '/rest/v1/distributionsets/7' } },
    };
    expect(await send('GET', '/distributionsets/7', undefined, reader)).toEqual({ status: 200, body: hawkbitSet });
    expect(await send('GET', '/distributionsets')).toEqual({
      status: 200,
      body: { content: [hawkbitSet], total: 31, size: 1 },
    });
    expect(await send('POST', '/distributionsets', [{ name: 'stack', version: '2.0' }])).toEqual({
      status: 201,
      body: [hawkbitSet],
    });
    expect(await send('GET', '/distributionsets/7/assignedSM')).toEqual({
      status: 200,
      body: { content: [hawkbitModule], total: 31, size: 1 },
    });
  });

  it('renders module and set types, an empty list as []', async () => {
    const hawkbitModuleType = {
      id: 4,
      key: 'os',
      name: 'OS',
      description: '',
      deleted: false,
      ...audit,
      maxAssignments: 1,
      minArtifacts: 0,
      _links: { self: { href: '/rest/v1/softwaremoduletypes/4' } },
    };
    expect(await send('GET', '/softwaremoduletypes/4')).toEqual({ status: 200, body: hawkbitModuleType });
    expect(await send('GET', '/distributionsettypes/5/mandatorymoduletypes')).toEqual({
      status: 200,
      body: [hawkbitModuleType],
    });
    expect(await send('GET', '/distributionsettypes/5/optionalmoduletypes')).toEqual({ status: 200, body: [] });
    expect(await send('GET', '/distributionsettypes')).toEqual({
      status: 200,
      body: {
        content: [
          {
            id: 5,
            key: 'os_app',
            name: 'OS with app(s)',
            description: 'both',
            colour: 'blue',
            deleted: false,
            ...audit,
            _links: { self: { href: '/rest/v1/distributionsettypes/5' } },
          },
        ],
        total: 31,
        size: 1,
      },
    });
  });

  const hawkbitShape = (errorCode: string) => ({
    exceptionClass: expect.any(String),
    errorCode,
    message: expect.any(String),
  });
  const constraint = 'hawkbit.server.error.repo.constraintViolation';
  const paramInvalid = 'hawkbit.server.error.rest.param.invalid';
  const notFound = 'hawkbit.server.error.repo.entitiyNotFound';
  /** A NUL anywhere in a body is refused as the body is read. */
  const notReadable = 'hawkbit.server.error.rest.body.notReadable';

  it.each([
    [
      'a module id 1e20',
      400,
      'POST',
      '/distributionsets',
      [{ name: 'n', version: '1', modules: [{ id: 1e20 }] }],
      constraint,
    ],
    [
      'a module reference that is not an object',
      400,
      'POST',
      '/distributionsets',
      [{ name: 'n', version: '1', modules: [3] }],
      constraint,
    ],
    ['a NUL in a set version', 400, 'POST', '/distributionsets', [{ name: 'n', version: '1\u0000' }], notReadable],
    ['an object as a set list', 400, 'POST', '/distributionsets', { name: 'n', version: '1' }, constraint],
    [
      'a NUL in a module vendor',
      400,
      'POST',
      '/softwaremodules',
      [{ name: 'n', version: '1', type: 't', vendor: '\u0000' }],
      notReadable,
    ],
    [
      'an over-long module type',
      400,
      'POST',
      '/softwaremodules',
      [{ name: 'n', version: '1', type: 't'.repeat(65) }],
      constraint,
    ],
    [
      'a module type without maxAssignments',
      400,
      'POST',
      '/softwaremoduletypes',
      [{ key: 'x', name: 'X' }],
      constraint,
    ],
    ['maxAssignments 0', 400, 'POST', '/softwaremoduletypes', [{ key: 'x', name: 'X', maxAssignments: 0 }], constraint],
    [
      'a set type module ref of id 1.5',
      400,
      'POST',
      '/distributionsettypes',
      [{ key: 'k', name: 'n', optionalmodules: [{ id: 1.5 }] }],
      constraint,
    ],
    ['an object as assignedSM', 400, 'POST', '/distributionsets/7/assignedSM', { id: 11 }, constraint],
    [
      '101 modules in assignedSM',
      400,
      'POST',
      '/distributionsets/7/assignedSM',
      Array.from({ length: 101 }, (_, i) => ({ id: i + 1 })),
      constraint,
    ],
    ['an empty set name on PUT', 400, 'PUT', '/distributionsets/7', { name: '' }, constraint],
    ['a null set version on PUT', 400, 'PUT', '/distributionsets/7', { version: null }, constraint],
    ['a NUL in a module description on PUT', 400, 'PUT', '/softwaremodules/11', { description: '\u0000' }, notReadable],
    ['a locked flag that is not a boolean', 400, 'PUT', '/softwaremodules/11', { locked: 'yes' }, constraint],
    [
      'distribution set id 99999999999999999999',
      404,
      'GET',
      '/distributionsets/99999999999999999999',
      undefined,
      notFound,
    ],
    ['distribution set id -1', 400, 'GET', '/distributionsets/-1', undefined, paramInvalid],
    ['software module id abc', 400, 'GET', '/softwaremodules/abc', undefined, paramInvalid],
    ['software module id 1e3', 400, 'GET', '/softwaremodules/1e3', undefined, paramInvalid],
    ['module type id 0', 404, 'DELETE', '/softwaremoduletypes/0', undefined, notFound],
    ['an unassigned module id abc', 400, 'DELETE', '/distributionsets/7/assignedSM/abc', undefined, paramInvalid],
    ['limit=abc', 400, 'GET', '/distributionsettypes?limit=abc', undefined, constraint],
    ['offset=-5', 400, 'GET', '/softwaremodules?offset=-5', undefined, constraint],
    ['limit=100000 on assignedSM', 400, 'GET', '/distributionsets/7/assignedSM?limit=100000', undefined, constraint],
  ])('refuses %s with %i before any call', async (_case, status, method, path, body, errorCode) => {
    const before = calls.length;
    expect(await send(method, path, body)).toEqual({ status, body: hawkbitShape(errorCode) });
    expect(calls.length).toBe(before);
  });

  it('refuses a write without its permission before any call, and lets the reader read', async () => {
    const before = calls.length;
    expect((await send('POST', '/softwaremodules', [{ name: 'n', version: '1', type: 'os' }], reader)).status).toBe(
      403,
    );
    expect((await send('DELETE', '/distributionsets/7', undefined, reader)).status).toBe(403);
    expect(calls.length).toBe(before);
    expect((await send('GET', '/softwaremodules/11', undefined, reader)).status).toBe(200);
    expect(calls.at(-1)).toEqual({ method: 'GetSoftwareModule', request: { id: 11 } });
  });

  it("answers the service's refusal with the exact status and hawkBit body it gave", async () => {
    expect(await send('POST', '/distributionsets/423/assignedSM', [{ id: 11 }])).toEqual({
      status: 423,
      body: lockedBody,
    });
    expect(await send('DELETE', '/distributionsettypes/409')).toEqual({ status: 409, body: inUseBody });
  });

  it('answers 503 when the repository service cannot be reached', async () => {
    const lonely = await bootstrapService(
      AppModule.forRoot(
        parseUsers('admin:admin:*'),
        { rolloutCommand: 'http://127.0.0.1:1', reporting: 'http://127.0.0.1:1' },
        { backends: { commands: '127.0.0.1:1', queries: '127.0.0.1:1' } },
      ),
      { ...readPlatformConfig('gateway-repository-edge-test', 1, {}), httpPort: 0 },
    );
    try {
      const url = `http://127.0.0.1:${(lonely.getHttpServer().address() as AddressInfo).port}/rest/v1/distributionsets/7`;
      const answer = await fetch(url, { headers: { authorization: admin } });
      expect({ status: answer.status, body: await answer.json() }).toEqual({
        status: 503,
        body: hawkbitShape('hawkbit.server.error.unavailable'),
      });
    } finally {
      await lonely.close();
    }
  });
});
