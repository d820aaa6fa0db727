import { FleetwaveClient } from '@fleetwave/testing';

interface Document {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
}

const gateway = new FleetwaveClient().gatewayUrl;
const admin = `Basic ${Buffer.from('admin:admin').toString('base64')}`;

/** A concrete path for a template: ids no entity has, so reads answer the owner's 404. */
const concrete = (template: string) => template.replace(/\{[^}]+\}/g, '999999999');

/**
 * The OpenAPI document at /v3/api-docs against the running cluster: its UI is served, and each
 * operation it lists reaches a service that has the route (an unknown id is the owner's 404 with
 * an error code, never the web framework's "Cannot GET"), while what it does not list the gateway
 * refuses.
 */
describe('API document', () => {
  let document: Document;

  beforeAll(async () => {
    const response = await fetch(`${gateway}/v3/api-docs`);
    expect(response.status).toBe(200);
    document = (await response.json()) as Document;
  });

  it('is an OpenAPI 3 document of /rest/v1, browsable at /docs', async () => {
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths).every((p) => p.startsWith('/rest/v1/'))).toBe(true);
    const page = await fetch(`${gateway}/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/v3/api-docs');
    const bundle = await fetch(`${gateway}/docs/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
  });

  it('lists only operations some service answers', async () => {
    const unrouted: string[] = [];
    for (const [template, methods] of Object.entries(document.paths)) {
      for (const method of Object.keys(methods)) {
        // Reads only, and writes with an empty body: nothing valid is ever sent, so nothing changes.
        const body = method === 'get' || method === 'delete' ? undefined : '{}';
        if (method === 'delete' && !template.includes('{')) continue;
        const response = await fetch(`${gateway}${concrete(template)}`, {
          method: method.toUpperCase(),
          headers: { authorization: admin, 'content-type': 'application/json' },
          body: method === 'delete' ? undefined : body,
        });
        const text = await response.text();
        // The web framework's own 404 (no such route in the service) has no error code of the API's.
        const frameworks404 = response.status === 404 && !/"errorCode":"(?!http\.404")/.test(text);
        if (frameworks404) unrouted.push(`${method} ${template}`);
        if (response.status >= 500) unrouted.push(`${method} ${template} answered ${response.status}: ${text}`);
      }
    }
    expect(unrouted).toEqual([]);
  });

  it('refuses what it does not list with a 404 in hawkBit error shape', async () => {
    const response = await fetch(`${gateway}/rest/v1/rollouts/1/explode`, {
      method: 'POST',
      headers: { authorization: admin },
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ errorCode: 'hawkbit.server.error.notFound' });
  });
});
