import Ajv from 'ajv';
import { requiredPermission } from '../auth/required-permission';
import { operationFor, operations } from './api-catalogue';
import { openApiDocument } from './openapi-document';

const document = openApiDocument('test');
const concrete = (path: string) => `/rest/v1${path.replace(/\{[^}]+\}/g, '7')}`;

describe('the OpenAPI document generated from the catalogue', () => {
  it('lists every operation of the catalogue once, under its path and method', () => {
    const listed = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(listed.sort()).toEqual(operations.map((op) => `${op.method} /rest/v1${op.path}`).sort());
    expect(new Set(listed).size).toBe(listed.length);
  });

  it('resolves every schema reference to a component', () => {
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(([, n]) => n);
    expect(refs.length).toBeGreaterThan(100);
    expect(refs.filter((name) => !(name in document.components.schemas))).toEqual([]);
  });

  it('has component schemas that compile as JSON Schema', () => {
    const ajv = new Ajv({ strict: false, validateFormats: false });
    ajv.addSchema({ components: document.components }, 'doc');
    for (const name of Object.keys(document.components.schemas)) {
      expect(() => ajv.getSchema(`doc#/components/schemas/${name}`)).not.toThrow();
    }
    const validate = ajv.getSchema('doc#/components/schemas/RolloutPage');
    expect(validate?.({ content: [], total: 0, size: 0 })).toBe(true);
    expect(validate?.({ content: [{ id: 'x' }], total: 0, size: 0 })).toBe(false);
  });

  it('states the permission the gateway checks for each operation', () => {
    for (const op of operations) {
      const permission = requiredPermission(op.method, concrete(op.path));
      expect({ op: `${op.method} ${op.path}`, permission: permission ?? null }).toEqual({
        op: `${op.method} ${op.path}`,
        permission: expect.any(String),
      });
      expect(document.paths[`/rest/v1${op.path}`][op.method.toLowerCase()]).toMatchObject({
        description: `Requires ${permission}.`,
      });
    }
  });
});

describe('operationFor', () => {
  it('finds the operation of a concrete path, commands apart from the resource', () => {
    expect(operationFor('POST', '/rest/v1/rollouts/12/start')).toMatchObject({ path: '/rollouts/{rolloutId}/start' });
    expect(operationFor('GET', '/rest/v1/rollouts/12')).toMatchObject({ path: '/rollouts/{rolloutId}' });
    expect(operationFor('HEAD', '/rest/v1/targets/dev-1')).toMatchObject({
      method: 'GET',
      path: '/targets/{targetId}',
    });
    expect(operationFor('GET', '/rest/v1/rollouts/')).toMatchObject({ path: '/rollouts' });
  });

  it('finds none for a path or method the API does not have', () => {
    expect(operationFor('PATCH', '/rest/v1/rollouts/12')).toBeUndefined();
    expect(operationFor('POST', '/rest/v1/rollouts/12/explode')).toBeUndefined();
    expect(operationFor('GET', '/rest/v1/rollouts/12/deploygroups/3/extra/4')).toBeUndefined();
  });
});
