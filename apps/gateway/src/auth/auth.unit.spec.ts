import { requiredPermission } from './required-permission';
import { authenticate, basicCredentials, parseTokens, parseUsers } from './users';
import { authorize } from './authorize';

describe('gateway authorization', () => {
  it('reads users with permissions from FLEETWAVE_USERS, admin/admin with all by default', () => {
    const defaults = parseUsers(undefined);
    expect(defaults.get('admin')?.password).toBe('admin');
    expect(defaults.get('admin')?.permissions.has('APPROVE_ROLLOUT')).toBe(true);
    const users = parseUsers('ops:pw:READ_ROLLOUT,HANDLE_ROLLOUT;viewer:v:READ_TARGET');
    expect([...users.get('ops')!.permissions]).toEqual(['READ_ROLLOUT', 'HANDLE_ROLLOUT']);
    expect(() => parseUsers('x:y:FLY')).toThrow(/unknown permission/);
  });

  it('grants the tenant configuration permissions with * and by name', () => {
    const all = parseUsers('root:pw:*').get('root')!.permissions;
    expect(all.has('READ_TENANT_CONFIGURATION')).toBe(true);
    expect(all.has('TENANT_CONFIGURATION')).toBe(true);
    const reader = parseUsers('cfg:pw:READ_TENANT_CONFIGURATION').get('cfg')!.permissions;
    expect([...reader]).toEqual(['READ_TENANT_CONFIGURATION']);
  });

  it('maps tenant settings to READ_TENANT_CONFIGURATION and TENANT_CONFIGURATION', () => {
    expect(requiredPermission('GET', '/rest/v1/system/configs')).toBe('READ_TENANT_CONFIGURATION');
    expect(requiredPermission('GET', '/rest/v1/system/configs/rollout.approval.enabled')).toBe(
      'READ_TENANT_CONFIGURATION',
    );
    expect(requiredPermission('PUT', '/rest/v1/system/configs/rollout.approval.enabled')).toBe('TENANT_CONFIGURATION');
    expect(requiredPermission('DELETE', '/rest/v1/system/configs/user.confirmation.flow.enabled')).toBe(
      'TENANT_CONFIGURATION',
    );
    expect(requiredPermission('POST', '/rest/v1/system/configs')).toBeUndefined();
    expect(requiredPermission('GET', '/rest/v1/system/other')).toBeUndefined();
    expect(requiredPermission('GET', '/rest/v1/system/configs/a/b')).toBeUndefined();
  });

  it('maps requests to hawkBit permissions', () => {
    expect(requiredPermission('GET', '/rest/v1/rollouts/4')).toBe('READ_ROLLOUT');
    expect(requiredPermission('GET', '/rest/v1/rollouts/4/progress')).toBe('READ_ROLLOUT');
    expect(requiredPermission('GET', '/rest/v1/rollouts/4/audit')).toBe('READ_ROLLOUT');
    expect(requiredPermission('POST', '/rest/v1/rollouts')).toBe('CREATE_ROLLOUT');
    expect(requiredPermission('POST', '/rest/v1/rollouts/4/start')).toBe('HANDLE_ROLLOUT');
    expect(requiredPermission('POST', '/rest/v1/rollouts/4/approve')).toBe('APPROVE_ROLLOUT');
    expect(requiredPermission('POST', '/rest/v1/targets')).toBe('CREATE_TARGET');
    expect(requiredPermission('DELETE', '/rest/v1/distributionsets/3')).toBe('DELETE_REPOSITORY');
    expect(requiredPermission('GET', '/rest/v1/nothing')).toBeUndefined();
  });

  it('decodes Basic credentials, passwords with colons included', () => {
    expect(basicCredentials(`Basic ${Buffer.from('a:b:c').toString('base64')}`)).toEqual({
      name: 'a',
      password: 'b:c',
    });
    expect(basicCredentials('Bearer x')).toBeUndefined();
  });
});

describe('authentication', () => {
  const users = parseUsers('ops:secret:READ_ROLLOUT;admin:admin:*');
  const tokens = parseTokens('0123456789abcdef0123:ops', users);
  const basic = (name: string, password: string) => `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}`;

  it('takes Basic credentials of a configured user, and nothing else', () => {
    expect(authenticate(basic('ops', 'secret'), users, tokens)?.name).toBe('ops');
    expect(authenticate(basic('ops', 'wrong'), users, tokens)).toBeUndefined();
    expect(authenticate(basic('nobody', 'secret'), users, tokens)).toBeUndefined();
    expect(authenticate(undefined, users, tokens)).toBeUndefined();
  });

  it('takes a configured bearer token as its user, with that user’s permissions', () => {
    const user = authenticate('Bearer 0123456789abcdef0123', users, tokens);
    expect(user?.name).toBe('ops');
    expect([...(user?.permissions ?? [])]).toEqual(['READ_ROLLOUT']);
    expect(authenticate('Bearer 0123456789abcdef0124', users, tokens)).toBeUndefined();
    expect(authenticate('Bearer ', users, tokens)).toBeUndefined();
  });

  it('refuses tokens that name no user or are too short to be secret', () => {
    expect(() => parseTokens('0123456789abcdef0123:ghost', users)).toThrow(/must name a user/);
    expect(() => parseTokens('short:ops', users)).toThrow(/at least 16/);
    expect(parseTokens(undefined, users).size).toBe(0);
  });
});

describe('the front door (REST and gRPC alike)', () => {
  const users = parseUsers('ops:pw:READ_ROLLOUT,HANDLE_ROLLOUT');
  const credentials = { users, tokens: new Map() };
  const basic = (name: string, password: string) => `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}`;
  const refusal = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      const e = error as { getStatus(): number; body: { errorCode: string; message: string } };
      return { status: e.getStatus(), errorCode: e.body.errorCode, message: e.body.message };
    }
    return undefined;
  };

  it('lets a caller with the permission through, as that user', () => {
    expect(authorize(basic('ops', 'pw'), 'POST', '/rest/v1/rollouts/5/start', credentials).name).toBe('ops');
  });

  it('refuses without credentials first, then an operation the API lacks, then a missing permission', () => {
    expect(refusal(() => authorize(undefined, 'POST', '/rest/v1/nothing', credentials))).toMatchObject({
      status: 401,
      errorCode: 'hawkbit.server.error.unauthorized',
    });
    expect(refusal(() => authorize(basic('ops', 'no'), 'GET', '/rest/v1/rollouts', credentials))?.status).toBe(401);
    expect(refusal(() => authorize(basic('ops', 'pw'), 'POST', '/rest/v1/rollouts/5/fly', credentials))).toMatchObject({
      status: 404,
      errorCode: 'hawkbit.server.error.notFound',
    });
    expect(refusal(() => authorize(basic('ops', 'pw'), 'POST', '/rest/v1/rollouts/5/approve', credentials))).toEqual({
      status: 403,
      errorCode: 'hawkbit.server.error.insufficientpermission',
      message: 'APPROVE_ROLLOUT is required',
    });
  });
});
