import { upstreamFor, type Upstreams } from './upstreams';

const upstreams: Upstreams = { rolloutCommand: 'http://command', reporting: 'http://reporting' };

describe('deploy group targets route', () => {
  it.each(['/rest/v1/rollouts/7/deploygroups/12/targets', '/rest/v1/rollouts/7/deploygroups/12/targets/'])(
    'sends GET %s to rollout-command, which holds the membership table',
    (path) => {
      expect(upstreamFor('GET', path, upstreams)).toBe('http://command');
    },
  );

  it.each(['/rest/v1/rollouts/7/deploygroups', '/rest/v1/rollouts/7/deploygroups/12', '/rest/v1/rollouts/7'])(
    'keeps GET %s on reporting',
    (path) => {
      expect(upstreamFor('GET', path, upstreams)).toBe('http://reporting');
    },
  );
});
