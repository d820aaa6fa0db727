import type { INestApplication } from '@nestjs/common';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bootstrapService, HawkbitHttpError, readPlatformConfig, type UnaryMethod } from '@fleetwave/platform';
import { AppModule } from '../../app.module';
import { parseTokens, parseUsers } from '../../auth/users';
import { standInBackends } from '../../testing/stand-in-backends';

type Json = Record<string, unknown>;

const audit = { createdBy: 'ann', createdAt: 1, lastModifiedBy: 'bob', lastModifiedAt: 2 };
const view = (controllerId: string, name = 'Device') => ({
  id: 11,
  controllerId,
  name,
  updateStatus: 'in_sync',
  lastControllerRequestAt: 3,
  targetType: 7,
  targetTypeName: 'gateway',
  audit,
});
const set = { id: 4, name: 'fw', version: '1.0', type: 'os', complete: true, locked: true, audit };
const tag = { id: 5, name: 'blue', colour: 'blue', audit };

/** The stand-in inventory's answer for the one target it does not know. */
const unknownTarget = {
  exceptionClass: 'EntityNotFoundException',
  errorCode: 'hawkbit.server.error.repo.entitiyNotFound',
  message: 'Target with given identifier {ghost} does not exist.',
};
const quota = {
  exceptionClass: 'AssignmentQuotaExceededException',
  errorCode: 'hawkbit.server.error.quota.tooManyEntries',
  message: 'a target may carry at most 100 metadata entries',
};

/**
 * The gateway's target routes (`/targets…`, their metadata, a deploy group's targets) in front of
 * a stand-in `Targets` (the real proto, over a real channel): each route reaches its method with
 * the validated message and the caller, answers hawkBit's JSON with its links, refuses bad input
 * before any call, passes a refusal on as the service gave it, and forwards nothing to
 * rollout-command's HTTP port.
 */
describe('targets at the gateway', () => {
  const calls: { method: string; request: Json }[] = [];
  const forwarded: string[] = [];
  let backends: Awaited<ReturnType<typeof standInBackends>>;
  let upstream: Server;
  let gateway: INestApplication;
  let base: string;
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const admin = basic('admin', 'admin');
  const reader = basic('reader', 'pw');
  const token = 'reader-token-0123456789abcdef';
  const users = parseUsers('admin:admin:*;reader:pw:READ_TARGET,READ_ROLLOUT');
  const caller = {
    user: 'admin',
    permissions: expect.arrayContaining(['CREATE_TARGET', 'UPDATE_TARGET', 'DELETE_TARGET']),
  };

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
  const known = (r: Json) => {
    if (r.controllerId === 'ghost') throw new HawkbitHttpError(404, unknownTarget);
  };

  beforeAll(async () => {
    backends = await standInBackends({
      targets: answering({
        ListTargets: () => ({ content: [view('dev-1'), view('dev-2')], total: 7 }),
        GetTarget: (r) => {
          known(r);
          return view(String(r.controllerId));
        },
        CreateTargets: (r) => ({
          items: (r.targets as Json[]).map((t) => ({ ...view(String(t.controllerId)), targetType: undefined })),
        }),
        UpdateTarget: (r) => view(String(r.controllerId), String(r.name ?? 'Device')),
        DeleteTarget: (r) => {
          known(r);
          return {};
        },
        GetAttributes: () => ({ attributes: { hwRev: '2', 'with.dot': 'x' } }),
        GetAssignedSet: (r) => (r.controllerId === 'bare' ? {} : { set }),
        GetInstalledSet: () => ({}),
        ListTags: (r) => (r.controllerId === 'bare' ? {} : { items: [tag] }),
        AssignType: () => ({}),
        UnassignType: () => ({}),
        ListMetadata: () => ({ content: [{ key: 'Site', value: 'Berlin' }, { key: 'empty' }], total: 2 }),
        GetMetadata: (r) => ({ key: r.key, value: 'v' }),
        CreateMetadata: (r) => {
          if ((r.entries as Json[]).length > 3) throw new HawkbitHttpError(429, quota);
          return { items: r.entries as Json[] };
        },
        UpdateMetadata: () => ({}),
        DeleteMetadata: () => ({}),
        ListGroupTargets: () => ({ content: [view('dev-9')], total: 1 }),
      }),
      actions: answering({
        ListActionStatuses: () => ({
          content: [{ id: 7000, type: 'running', messages: ['go'], reportedAt: 2, timestamp: 1 }],
          total: 1,
        }),
      }),
    });
    upstream = createServer((req, res) => {
      forwarded.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"forwarded":true}');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    gateway = await bootstrapService(
      AppModule.forRoot(
        users,
        { rolloutCommand: upstreamUrl, reporting: upstreamUrl },
        {
          tokens: parseTokens(`${token}:reader`, users),
          backends: { commands: backends.address, queries: backends.address },
        },
      ),
      { ...readPlatformConfig('gateway-targets-edge-test', 1, {}), httpPort: 0 },
    );
    base = `http://127.0.0.1:${(gateway.getHttpServer().address() as AddressInfo).port}/rest/v1`;
  });

  afterAll(async () => {
    await gateway?.close();
    await backends?.stop();
    await new Promise((resolve) => upstream?.close(resolve));
  });

  const send = async (
    method: string,
    path: string,
    body?: unknown,
    { auth = admin, type = 'application/json' } = {},
  ): Promise<{ status: number; body: any }> => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: auth, ...(body === undefined ? {} : { 'content-type': type }) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const lastCall = () => calls.at(-1);
  const rendered = (controllerId: string, name = 'Device') => ({
    id: 11,
    controllerId,
    name,
    description: '',
    updateStatus: 'in_sync',
    lastControllerRequestAt: 3,
    requestAttributes: true,
    targetType: 7,
    targetTypeName: 'gateway',
    createdBy: 'ann',
    createdAt: 1,
    lastModifiedBy: 'bob',
    lastModifiedAt: 2,
    _links: { self: { href: `/rest/v1/targets/${encodeURIComponent(controllerId)}` } },
  });

  it('lists targets with the validated page, in hawkBit’s shapes', async () => {
    const answer = await send('GET', `/targets?offset=5&limit=2&sort=name:DESC&q=${encodeURIComponent('name==dev*')}`);
    expect(answer).toEqual({
      status: 200,
      body: { content: [rendered('dev-1'), rendered('dev-2')], total: 7, size: 2 },
    });
    expect(lastCall()).toEqual({
      method: 'ListTargets',
      request: { offset: 5, limit: 2, sort: 'name:DESC', q: 'name==dev*' },
    });
    await send('GET', '/targets');
    expect(lastCall()).toEqual({ method: 'ListTargets', request: { offset: 0, limit: 50 } });
  });

  it('reads one target by its controllerId, linked by it', async () => {
    expect(await send('GET', '/targets/dev%201')).toEqual({ status: 200, body: rendered('dev 1') });
    expect(lastCall()).toEqual({ method: 'GetTarget', request: { controllerId: 'dev 1' } });
  });

  it('creates targets (201) as sent, unknown fields dropped, with the caller', async () => {
    const answer = await send('POST', '/targets', [
      { controllerId: 'new-1', name: 'first', targetType: 7, securityToken: 'dropped' },
      { controllerId: 'new-2', description: 'second' },
    ]);
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual([
      { ...rendered('new-1'), targetType: undefined },
      { ...rendered('new-2'), targetType: undefined },
    ]);
    expect(answer.body[0]).not.toHaveProperty('targetType');
    expect(lastCall()).toEqual({
      method: 'CreateTargets',
      request: {
        caller,
        targets: [
          { controllerId: 'new-1', name: 'first', targetType: 7 },
          { controllerId: 'new-2', description: 'second' },
        ],
      },
    });
  });

  it('changes a target with PUT: the path names it, what the body leaves out is not sent', async () => {
    const answer = await send('PUT', '/targets/dev-1', {
      name: 'after',
      controllerId: 'other',
      requestAttributes: true,
    });
    expect(answer).toEqual({ status: 200, body: rendered('dev-1', 'after') });
    expect(lastCall()).toEqual({
      method: 'UpdateTarget',
      request: { caller, controllerId: 'dev-1', name: 'after' },
    });
    await send('PUT', '/targets/dev-1', { description: '', targetType: 7 });
    expect(lastCall()?.request).toEqual({ caller, controllerId: 'dev-1', description: '', targetType: 7 });
  });

  it('deletes a target (204), and passes the inventory’s 404 on as it came', async () => {
    expect(await send('DELETE', '/targets/dev-1')).toEqual({ status: 204, body: undefined });
    expect(lastCall()).toEqual({ method: 'DeleteTarget', request: { caller, controllerId: 'dev-1' } });
    expect(await send('DELETE', '/targets/ghost')).toEqual({ status: 404, body: unknownTarget });
    expect(await send('GET', '/targets/ghost')).toEqual({ status: 404, body: unknownTarget });
  });

  it('answers the attributes as a plain string map', async () => {
    expect(await send('GET', '/targets/dev-1/attributes')).toEqual({
      status: 200,
      body: { hwRev: '2', 'with.dot': 'x' },
    });
    expect(lastCall()).toEqual({ method: 'GetAttributes', request: { controllerId: 'dev-1' } });
  });

  it('answers the assigned set as hawkBit’s distribution set, and 204 while there is none', async () => {
    const assigned = await send('GET', '/targets/dev-1/assignedDS');
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({
      id: 4,
      name: 'fw',
      version: '1.0',
      type: 'os',
      complete: true,
      locked: true,
      modules: [],
      createdBy: 'ann',
      _links: { self: { href: '/rest/v1/distributionsets/4' } },
    });
    expect(await send('GET', '/targets/bare/assignedDS')).toEqual({ status: 204, body: undefined });
    expect(await send('GET', '/targets/dev-1/installedDS')).toEqual({ status: 204, body: undefined });
    expect(lastCall()).toEqual({ method: 'GetInstalledSet', request: { controllerId: 'dev-1' } });
  });

  it('answers the tags of a target as a plain list of hawkBit’s tags', async () => {
    expect(await send('GET', '/targets/dev-1/tags')).toEqual({
      status: 200,
      body: [
        {
          id: 5,
          name: 'blue',
          description: '',
          colour: 'blue',
          ...{ createdBy: 'ann', createdAt: 1, lastModifiedBy: 'bob', lastModifiedAt: 2 },
          _links: { self: { href: '/rest/v1/targettags/5' } },
        },
      ],
    });
    expect(await send('GET', '/targets/bare/tags')).toEqual({ status: 200, body: [] });
  });

  it('assigns (by the body’s id) and unassigns a target type, each a 204', async () => {
    expect((await send('POST', '/targets/dev-1/targettype', { id: 7 })).status).toBe(204);
    expect(lastCall()).toEqual({ method: 'AssignType', request: { caller, controllerId: 'dev-1', targetType: 7 } });
    expect((await send('DELETE', '/targets/dev-1/targettype')).status).toBe(204);
    expect(lastCall()).toEqual({ method: 'UnassignType', request: { caller, controllerId: 'dev-1' } });
  });

  it('serves a target’s metadata: a page, one entry, create (201), change and delete (204)', async () => {
    expect(await send('GET', '/targets/dev-1/metadata')).toEqual({
      status: 200,
      body: {
        content: [
          { key: 'Site', value: 'Berlin' },
          { key: 'empty', value: '' },
        ],
        total: 2,
        size: 2,
      },
    });
    expect(await send('GET', '/targets/dev-1/metadata/a%20b')).toEqual({
      status: 200,
      body: { key: 'a b', value: 'v' },
    });
    expect(lastCall()).toEqual({ method: 'GetMetadata', request: { controllerId: 'dev-1', key: 'a b' } });
    const created = await send('POST', '/targets/dev-1/metadata', [{ key: 'owner', value: 'ops' }, { key: 'blank' }]);
    expect(created).toEqual({
      status: 201,
      body: [
        { key: 'owner', value: 'ops' },
        { key: 'blank', value: '' },
      ],
    });
    expect(lastCall()).toEqual({
      method: 'CreateMetadata',
      request: {
        caller,
        controllerId: 'dev-1',
        entries: [
          { key: 'owner', value: 'ops' },
          { key: 'blank', value: '' },
        ],
      },
    });
    expect((await send('PUT', '/targets/dev-1/metadata/owner', { value: 'platform' })).status).toBe(204);
    expect(lastCall()).toEqual({
      method: 'UpdateMetadata',
      request: { caller, controllerId: 'dev-1', key: 'owner', value: 'platform' },
    });
    expect((await send('DELETE', '/targets/dev-1/metadata/owner')).status).toBe(204);
    expect(lastCall()).toEqual({ method: 'DeleteMetadata', request: { caller, controllerId: 'dev-1', key: 'owner' } });
  });

  it('passes the quota’s 429 on with the body the service gave', async () => {
    const entries = Array.from({ length: 4 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    expect(await send('POST', '/targets/dev-1/metadata', entries)).toEqual({ status: 429, body: quota });
  });

  it('lists a deploy group’s targets with the validated page', async () => {
    expect(await send('GET', '/rollouts/3/deploygroups/8/targets?limit=5&sort=name:ASC')).toEqual({
      status: 200,
      body: { content: [rendered('dev-9')], total: 1, size: 1 },
    });
    expect(lastCall()).toEqual({
      method: 'ListGroupTargets',
      request: { rolloutId: 3, groupId: 8, page: { offset: 0, limit: 5, sort: 'name:ASC' } },
    });
  });

  it("answers the actions of an unknown target with the inventory's 404, and asks the read model only for a known one", async () => {
    const asked = calls.length;
    expect(await send('GET', '/targets/ghost/actions?limit=5')).toEqual({ status: 404, body: unknownTarget });
    expect(calls.slice(asked)).toEqual([{ method: 'GetTarget', request: { controllerId: 'ghost' } }]);

    expect(await send('GET', '/targets/dev-1/actions/7/status?limit=5')).toEqual({
      status: 200,
      body: {
        content: [{ id: 7000, type: 'running', messages: ['go'], reportedAt: 2, timestamp: 1 }],
        total: 1,
        size: 1,
      },
    });
    expect(calls.slice(asked + 1)).toEqual([
      { method: 'GetTarget', request: { controllerId: 'dev-1' } },
      { method: 'ListActionStatuses', request: { controllerId: 'dev-1', actionId: 7, page: { offset: 0, limit: 5 } } },
    ]);
  });

  const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

  it.each([
    ['a NUL in a controllerId', 'POST', '/targets', [{ controllerId: 'ok' }, { controllerId: 'd\u00001' }], 400],
    ['a controllerId with a slash', 'POST', '/targets', [{ controllerId: 'a/b' }], 400],
    ['a controllerId of 257 characters', 'POST', '/targets', [{ controllerId: 'c'.repeat(257) }], 400],
    ['an object as a target list', 'POST', '/targets', { controllerId: 'x' }, 400],
    [
      'more than 1000 targets',
      'POST',
      '/targets',
      Array.from({ length: 1001 }, (_, i) => ({ controllerId: `d${i}` })),
      400,
    ],
    ['a target type 1e20', 'POST', '/targets', [{ controllerId: 'a', targetType: 1e20 }], 400],
    ['a body nested 33 deep', 'POST', '/targets', deep(33), 400],
    ['a body nested 100,000 deep', 'POST', '/targets', deep(100_000), 400],
    ['an escaped NUL', 'POST', '/targets', '[{"controllerId":"dev\\u00001"}]', 400],
    ['malformed JSON', 'POST', '/targets', '[{"controllerId":', 400],
    ['a 2 MB body', 'POST', '/targets', [{ controllerId: 'x'.repeat(2 << 20) }], 413],
    ['an empty name', 'PUT', '/targets/dev-1', { name: '' }, 400],
    ['a target type that is not a number', 'PUT', '/targets/dev-1', { targetType: 'x' }, 400],
    ['a null name', 'PUT', '/targets/dev-1', { name: null }, 400],
    ['a type reference without an id', 'POST', '/targets/dev-1/targettype', {}, 400],
    ['a metadata entry without a key', 'POST', '/targets/dev-1/metadata', [{ value: 'no key' }], 400],
    [
      'more than 100 metadata entries',
      'POST',
      '/targets/dev-1/metadata',
      Array.from({ length: 101 }, (_, i) => ({ key: `k${i}` })),
      400,
    ],
    ['a metadata value that is not text', 'PUT', '/targets/dev-1/metadata/k', { value: 5 }, 400],
    ['a metadata key of 129 characters', 'GET', `/targets/dev-1/metadata/${'k'.repeat(129)}`, undefined, 400],
    ['a NUL in a controllerId path', 'GET', '/targets/dev%00', undefined, 400],
    ['a NUL in a metadata path', 'DELETE', '/targets/dev%00/metadata/k', undefined, 400],
    ['limit=abc', 'GET', '/targets?limit=abc', undefined, 400],
    ['limit=-1', 'GET', '/targets?limit=-1', undefined, 400],
    ['limit=100000', 'GET', '/targets?limit=100000', undefined, 400],
    ['offset=-5', 'GET', '/targets?offset=-5', undefined, 400],
    ['offset=1e20', 'GET', '/targets?offset=100000000000000000000', undefined, 400],
    ['a NUL in q', 'GET', '/targets?q=name%3D%3D%00', undefined, 400],
    ['rollout id abc', 'GET', '/rollouts/abc/deploygroups/1/targets', undefined, 400],
    ['group id 0', 'GET', '/rollouts/1/deploygroups/0/targets', undefined, 404],
    ['a bad limit of a group', 'GET', '/rollouts/1/deploygroups/1/targets?limit=0', undefined, 400],
  ])('refuses %s before any call', async (_case, method, path, body, status) => {
    const asked = calls.length;
    const answer = await send(method, path, body);
    expect(answer).toEqual({
      status,
      body: { exceptionClass: expect.any(String), errorCode: expect.any(String), message: expect.any(String) },
    });
    expect(calls.length).toBe(asked);
  });

  it('says why a create body is refused, by item', async () => {
    const answer = await send('POST', '/targets', [
      { controllerId: 'ok' },
      { controllerId: 'a b', name: 'n'.repeat(129) },
    ]);
    expect(answer.body).toMatchObject({ errorCode: 'hawkbit.server.error.repo.constraintViolation' });
    expect(answer.body.message).toMatch(/\[1\] controllerId must not contain whitespace/);
    expect(answer.body.message).toMatch(/\[1\] name must be shorter than or equal to 128/);
    expect(
      (await send('POST', '/targets', 'controllerId=x', { type: 'application/x-www-form-urlencoded' })).body,
    ).toMatchObject({ errorCode: 'hawkbit.server.error.rest.mediaType.unsupported' });
  });

  it('checks the permission of each route before any call, a bearer token acting as its user', async () => {
    const asked = calls.length;
    const bearer = `Bearer ${token}`;
    expect((await send('GET', '/targets/dev-1', undefined, { auth: bearer })).status).toBe(200);
    expect((await send('GET', '/rollouts/1/deploygroups/2/targets', undefined, { auth: reader })).status).toBe(200);
    expect(calls.length).toBe(asked + 2);
    for (const [method, path, body] of [
      ['PUT', '/targets/dev-1', { name: 'x' }],
      ['POST', '/targets', [{ controllerId: 'x' }]],
      ['DELETE', '/targets/dev-1'],
      ['POST', '/targets/dev-1/metadata', [{ key: 'k' }]],
      ['DELETE', '/targets/dev-1/targettype'],
    ] as const) {
      const answer = await send(method, path, body, { auth: bearer });
      expect({ method, path, status: answer.status }).toEqual({ method, path, status: 403 });
    }
    expect((await send('GET', '/targets', undefined, { auth: `Bearer ${token}x` })).status).toBe(401);
    expect((await send('GET', '/targets', undefined, { auth: basic('admin', 'wrong') })).status).toBe(401);
    expect(calls.length).toBe(asked + 2);
  });

  it('forwarded none of these routes to rollout-command over HTTP', () => {
    expect(forwarded).toEqual([]);
  });

  it('answers 503 when the Targets service cannot be reached', async () => {
    const lonely = await bootstrapService(
      AppModule.forRoot(
        parseUsers('admin:admin:*'),
        { rolloutCommand: 'http://127.0.0.1:1', reporting: 'http://127.0.0.1:1' },
        { backends: { commands: '127.0.0.1:1', queries: '127.0.0.1:1' } },
      ),
      { ...readPlatformConfig('gateway-targets-edge-test', 1, {}), httpPort: 0 },
    );
    try {
      const url = `http://127.0.0.1:${(lonely.getHttpServer().address() as AddressInfo).port}/rest/v1`;
      for (const path of ['/targets/dev-1', '/targets/dev-1/actions', '/rollouts/1/deploygroups/2/targets']) {
        const answer = await fetch(`${url}${path}`, { headers: { authorization: admin } });
        expect({ path, status: answer.status, body: await answer.json() }).toMatchObject({
          path,
          status: 503,
          body: { errorCode: 'hawkbit.server.error.unavailable' },
        });
      }
    } finally {
      await lonely.close();
    }
  });
});
