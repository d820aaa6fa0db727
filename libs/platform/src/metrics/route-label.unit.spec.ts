import { otherRoute, routeLabel } from './route-label';

describe('routeLabel', () => {
  it.each([
    ['/rest/v1/rollouts', '/rest/v1/rollouts'],
    ['/rest/v1/rollouts/42', '/rest/v1/rollouts/:id'],
    ['/rest/v1/rollouts/42/deploygroups/43/targets?limit=5', '/rest/v1/rollouts/:id/deploygroups/:id/targets'],
    ['/rest/v1/rollouts/42/start', '/rest/v1/rollouts/:id/start'],
    ['/rest/v1/targets/device-0001/actions/7/status', '/rest/v1/targets/:id/actions/:id/status'],
    ['/rest/v1/softwaremodules/3/artifacts/9/download', '/rest/v1/softwaremodules/:id/artifacts/:id/download'],
    ['/rest/v1/system/configs/pollingTime', '/rest/v1/system/configs/:id'],
    ['/health/ready', '/health/ready'],
    ['/metrics', '/metrics'],
    ['/ui/app.js', '/ui/*'],
    ['/ui/api/me', '/ui/api/me'],
    ['/internal/rollouts/12/changes', '/internal/rollouts/:id/changes'],
  ])('labels %s as %s', (path, label) => expect(routeLabel(path)).toBe(label));

  it('gives every unknown path one label, so scanners cannot grow the series', () => {
    expect(new Set(['/wp-login.php', '/x/1', '/.env', '/'].map(routeLabel))).toEqual(new Set([otherRoute]));
  });

  it('cuts very deep API paths', () => {
    expect(routeLabel('/rest/v1/a/1/b/2/c/3/d/4/e/5')).toBe('/rest/v1/a/:id/b/:id/c/:id/d/…');
  });
});
