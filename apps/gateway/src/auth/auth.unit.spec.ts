import { requiredPermission } from './required-permission';
import { basicCredentials, parseUsers } from './users';

describe('gateway authorization', () => {
  it('reads users with permissions from FLEETWAVE_USERS, admin/admin with all by default', () => {
    const defaults = parseUsers(undefined);
    expect(defaults.get('admin')?.password).toBe('admin');
    expect(defaults.get('admin')?.permissions.has('APPROVE_ROLLOUT')).toBe(true);
    const users = parseUsers('ops:pw:READ_ROLLOUT,HANDLE_ROLLOUT;viewer:v:READ_TARGET');
    expect([...users.get('ops')!.permissions]).toEqual(['READ_ROLLOUT', 'HANDLE_ROLLOUT']);
    expect(() => parseUsers('x:y:FLY')).toThrow(/unknown permission/);
  });

  it('maps requests to hawkBit permissions', () => {
    expect(requiredPermission('GET', '/rest/v1/rollouts/4')).toBe('READ_ROLLOUT');
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
