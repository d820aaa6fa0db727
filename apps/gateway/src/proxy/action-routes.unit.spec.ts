import { requiredPermission } from '../auth/required-permission';
import { operationFor } from '../openapi/api-catalogue';
import { upstreamFor, type Upstreams } from './upstreams';

const upstreams: Upstreams = { rolloutCommand: 'http://command', reporting: 'http://reporting' };

describe('action routes in the gateway', () => {
  it.each([
    '/rest/v1/actions',
    '/rest/v1/actions/42',
    '/rest/v1/targets/dev-1/actions',
    '/rest/v1/targets/dev-1/actions/42',
    '/rest/v1/targets/dev-1/actions/42/status',
    '/rest/v1/targets/dev%2F1/actions/',
  ])('reads %s from reporting with READ_TARGET, as the API document lists it', (path) => {
    expect(upstreamFor('GET', path, upstreams)).toBe('http://reporting');
    expect(requiredPermission('GET', path)).toBe('READ_TARGET');
    expect(operationFor('GET', path)).toMatchObject({ tag: 'Actions', status: 200 });
  });

  it.each([
    ['GET', '/rest/v1/targets/dev-1'],
    ['GET', '/rest/v1/targets'],
    ['GET', '/rest/v1/targets/dev-1/attributes'],
    ['GET', '/rest/v1/targets/actions'],
    ['DELETE', '/rest/v1/targets/dev-1/actions/42'],
    ['PUT', '/rest/v1/targets/dev-1/actions/42'],
  ])('leaves %s %s to rollout-command', (method, path) => {
    expect(upstreamFor(method, path, upstreams)).toBe('http://command');
  });

  it('keeps rollout reads on reporting and rollout commands on rollout-command', () => {
    expect(upstreamFor('GET', '/rest/v1/rollouts/7', upstreams)).toBe('http://reporting');
    expect(upstreamFor('POST', '/rest/v1/rollouts/7/start', upstreams)).toBe('http://command');
  });
});
