import Ajv, { type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { uniqueName } from '@fleetwave/testing';
import { InventoryHttpFixture } from './testing/inventory-http.fixture';

/** hawkBit 1.1.0's own Management API document, kept in the shared folder beside the repository. */
const documentPath = join(__dirname, '../../../../../shared/reference/hawkbit-1.1.0-management-api.openapi.json');

interface OpenApi {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema?: object }> }> }>
  >;
}

/**
 * Every inventory endpoint's answer, success and error alike, validates against the response
 * schema hawkBit's document gives for that path, method and status.
 */
describe('inventory responses against hawkBit 1.1.0’s document (Postgres, HTTP)', () => {
  const fx = new InventoryHttpFixture();
  const document = JSON.parse(readFileSync(documentPath, 'utf8')) as OpenApi;
  const ajv = new Ajv({ allErrors: true, format: false, unknownFormats: 'ignore', logger: false });
  ajv.addSchema(document, 'hawkbit');
  const validators = new Map<string, ValidateFunction>();

  const validatorFor = (template: string, method: string, status: number): ValidateFunction => {
    const key = `${method} ${template} ${status}`;
    const cached = validators.get(key);
    if (cached) return cached;
    const response = document.paths[template]?.[method.toLowerCase()]?.responses[String(status)];
    const content = response?.content?.['application/json'] ?? response?.content?.['application/hal+json'];
    if (!content) throw new Error(`hawkBit's document has no JSON response for ${key}`);
    // The response's schema, its references pointed at the document added under the id `hawkbit`.
    // Some error answers name no schema (404): hawkBit sends its ExceptionInfo body there too.
    const declared = content.schema ?? (status >= 400 ? { $ref: '#/components/schemas/ExceptionInfo' } : undefined);
    if (!declared) throw new Error(`hawkBit's document has no schema for ${key}`);
    const schema = JSON.parse(JSON.stringify(declared).replace(/"#\/components\//g, '"hawkbit#/components/'));
    const validate = ajv.compile(schema);
    validators.set(key, validate);
    return validate;
  };

  const check = async (method: string, path: string, template: string, status: number, body?: unknown) => {
    const answer = await fx.send(method, path, body);
    expect({ path, status: answer.status }).toEqual({ path, status });
    const validate = validatorFor(template, method, status);
    const valid = validate(answer.body);
    expect({ path, errors: valid ? null : validate.errors }).toEqual({ path, errors: null });
    return answer.body;
  };

  beforeAll(() => fx.start());
  afterAll(() => fx.stop());

  it('answers targets, modules, sets, types, tags and filters in hawkBit’s shapes', async () => {
    const controllerId = uniqueName('oa');
    await fx.expect(201, 'POST', '/targets', [{ controllerId, name: 'n' }]);
    await check('GET', '/targets', '/rest/v1/targets', 200);
    await check('GET', `/targets/${controllerId}`, '/rest/v1/targets/{targetId}', 200);
    await check('PUT', `/targets/${controllerId}`, '/rest/v1/targets/{targetId}', 200, { description: 'x' });
    await check('GET', `/targets/${controllerId}/attributes`, '/rest/v1/targets/{targetId}/attributes', 200);
    await fx.expect(201, 'POST', `/targets/${controllerId}/metadata`, [{ key: 'k', value: 'v' }]);
    await check('GET', `/targets/${controllerId}/metadata`, '/rest/v1/targets/{targetId}/metadata', 200);
    await check(
      'GET',
      `/targets/${controllerId}/metadata/k`,
      '/rest/v1/targets/{targetId}/metadata/{metadataKey}',
      200,
    );
    await check('GET', '/targets/nope', '/rest/v1/targets/{targetId}', 404);
    await check('GET', '/targets?sort=nope:ASC', '/rest/v1/targets', 400);

    const [sm] = await check('POST', '/softwaremodules', '/rest/v1/softwaremodules', 201, [
      { name: uniqueName('sm'), version: '1', type: 'os' },
    ]);
    await check('GET', '/softwaremodules', '/rest/v1/softwaremodules', 200);
    await check('GET', `/softwaremodules/${sm.id}`, '/rest/v1/softwaremodules/{softwareModuleId}', 200);
    await check('PUT', `/softwaremodules/${sm.id}`, '/rest/v1/softwaremodules/{softwareModuleId}', 200, {
      vendor: 'v',
    });

    const [ds] = await check('POST', '/distributionsets', '/rest/v1/distributionsets', 201, [
      { name: uniqueName('ds'), version: '1', type: 'os', modules: [{ id: sm.id }] },
    ]);
    await check('GET', '/distributionsets', '/rest/v1/distributionsets', 200);
    await check('GET', `/distributionsets/${ds.id}`, '/rest/v1/distributionsets/{distributionSetId}', 200);
    await check('PUT', `/distributionsets/${ds.id}`, '/rest/v1/distributionsets/{distributionSetId}', 200, {
      description: 'd',
    });
    await check(
      'GET',
      `/distributionsets/${ds.id}/assignedSM`,
      '/rest/v1/distributionsets/{distributionSetId}/assignedSM',
      200,
    );

    await check('GET', '/softwaremoduletypes', '/rest/v1/softwaremoduletypes', 200);
    const smTypes = await check('POST', '/softwaremoduletypes', '/rest/v1/softwaremoduletypes', 201, [
      { key: uniqueName('k'), name: uniqueName('n'), maxAssignments: 1 },
    ]);
    await check(
      'GET',
      `/softwaremoduletypes/${smTypes[0].id}`,
      '/rest/v1/softwaremoduletypes/{softwareModuleTypeId}',
      200,
    );
    await check('GET', '/distributionsettypes', '/rest/v1/distributionsettypes', 200);
    const dsTypes = await check('POST', '/distributionsettypes', '/rest/v1/distributionsettypes', 201, [
      { key: uniqueName('k'), name: uniqueName('n') },
    ]);
    await check(
      'GET',
      `/distributionsettypes/${dsTypes[0].id}`,
      '/rest/v1/distributionsettypes/{distributionSetTypeId}',
      200,
    );

    const [tag] = await check('POST', '/targettags', '/rest/v1/targettags', 201, [{ name: uniqueName('t') }]);
    await check('GET', '/targettags', '/rest/v1/targettags', 200);
    await check('GET', `/targettags/${tag.id}`, '/rest/v1/targettags/{targetTagId}', 200);
    await check('PUT', `/targettags/${tag.id}`, '/rest/v1/targettags/{targetTagId}', 200, { colour: 'red' });
    await check('GET', `/targettags/${tag.id}/assigned`, '/rest/v1/targettags/{targetTagId}/assigned', 200);

    const [type] = await check('POST', '/targettypes', '/rest/v1/targettypes', 201, [{ name: uniqueName('tt') }]);
    await check('GET', '/targettypes', '/rest/v1/targettypes', 200);
    await check('GET', `/targettypes/${type.id}`, '/rest/v1/targettypes/{targetTypeId}', 200);

    const filter = await check('POST', '/targetfilters', '/rest/v1/targetfilters', 201, {
      name: uniqueName('f'),
      query: 'name==*',
    });
    await check('GET', '/targetfilters', '/rest/v1/targetfilters', 200);
    await check('GET', `/targetfilters/${filter.id}`, '/rest/v1/targetfilters/{filterId}', 200);
    await check('POST', '/targetfilters', '/rest/v1/targetfilters', 400, { name: 'x', query: 'name==' });
  });
});
