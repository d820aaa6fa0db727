import { upstreamFor, type Upstreams } from './upstreams';

const upstreams: Upstreams = { rolloutCommand: 'http://command', reporting: 'http://reporting' };

describe('where the gateway forwards what it does not serve itself', () => {
  it.each(['/rest/v1/rollouts/7/progress', '/rest/v1/rollouts/7/audit', '/rest/v1/rollouts/7/audit/'])(
    'reads GET %s from reporting',
    (path) => {
      expect(upstreamFor('GET', path, upstreams)).toBe('http://reporting');
    },
  );

  it.each([
    ['GET', '/rest/v1/rollouts/7/deploygroups/12/targets'],
    ['GET', '/rest/v1/targets/dev-1'],
    ['POST', '/rest/v1/rollouts/7/audit'],
    ['GET', '/rest/v1/distributionsets'],
  ])('sends %s %s to rollout-command, the owner of the inventory and the membership', (method, path) => {
    expect(upstreamFor(method, path, upstreams)).toBe('http://command');
  });
});
