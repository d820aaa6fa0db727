import { requiredPermission } from '../auth/required-permission';
import { operationFor } from '../openapi/api-catalogue';

describe('action routes in the gateway', () => {
  it.each([
    '/rest/v1/actions',
    '/rest/v1/actions/42',
    '/rest/v1/targets/dev-1/actions',
    '/rest/v1/targets/dev-1/actions/42',
    '/rest/v1/targets/dev-1/actions/42/status',
    '/rest/v1/targets/dev%2F1/actions/',
  ])('reads %s with READ_TARGET, as the API document lists it', (path) => {
    expect(requiredPermission('GET', path)).toBe('READ_TARGET');
    expect(operationFor('GET', path)).toMatchObject({ tag: 'Actions', status: 200 });
  });
});
