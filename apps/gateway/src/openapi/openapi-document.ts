import { requiredPermission } from '../auth/required-permission';
import { operations, type Operation } from './api-catalogue';
import { componentSchemas } from './entity.schemas';
import { int, ref, str, type Schema } from './schema-dsl';

const json = (schema: Schema) => ({ 'application/json': { schema } });
const errorResponse = (description: string) => ({ description, content: json(ref('Error')) });

const listParameters = [
  { name: 'offset', in: 'query', schema: { ...int, minimum: 0, default: 0 }, description: 'First entry of the page' },
  { name: 'limit', in: 'query', schema: { ...int, minimum: 1, maximum: 500, default: 50 }, description: 'Page size' },
  { name: 'sort', in: 'query', schema: str, description: 'field:ASC or field:DESC, comma-separated' },
  { name: 'q', in: 'query', schema: str, description: 'RSQL/FIQL filter' },
];

/** A sample concrete path, for the permission the gateway asks of a template. */
const sample = (path: string) => `/rest/v1${path.replace(/\{[^}]+\}/g, '1')}`;

function operationObject(op: Operation) {
  const permission = requiredPermission(op.method, sample(op.path));
  const pathParameters = [...op.path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: str,
  }));
  const responses: Record<string, unknown> = {
    [op.status]: op.download
      ? {
          description: 'The file',
          content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
        }
      : op.response
        ? { description: 'OK', content: json(ref(op.response)) }
        : { description: 'Done' },
    400: errorResponse('Bad input or a command the current state does not allow'),
    401: errorResponse('No or wrong credentials'),
    403: errorResponse(`Lacks ${permission}`),
  };
  if (op.path.includes('{')) responses[404] = errorResponse('Unknown id');
  if (op.method === 'POST' && op.status === 201) {
    responses[409] = errorResponse('Duplicate');
    responses[429] = errorResponse('Quota exceeded');
  }
  return {
    tags: [op.tag],
    summary: op.summary,
    operationId: `${op.method.toLowerCase()}${op.path.replace(/\{([^}]+)\}/g, 'By-$1').replace(/[^a-zA-Z0-9]+(.)?/g, (_, c?: string) => (c ?? '').toUpperCase())}`,
    description: `Requires ${permission}.`,
    parameters: [
      ...pathParameters,
      ...(op.list ? listParameters : []),
      ...(op.query ?? []).map((name) => ({ name, in: 'query', schema: str })),
    ],
    ...(op.body
      ? {
          requestBody: {
            required: true,
            content: op.multipart ? { 'multipart/form-data': { schema: ref(op.body) } } : json(ref(op.body)),
          },
        }
      : {}),
    responses,
  };
}

/** The OpenAPI 3.0 document of `/rest/v1`, generated from the gateway's catalogue of operations. */
export function openApiDocument(version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const path = `/rest/v1${op.path}`;
    paths[path] = { ...paths[path], [op.method.toLowerCase()]: operationObject(op) };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Fleetwave Management API',
      version,
      description: "Rollout management for device fleets, in the shapes of hawkBit's Management API.",
    },
    servers: [{ url: '/' }],
    security: [{ basic: [] }, { bearer: [] }],
    paths,
    components: {
      schemas: componentSchemas,
      securitySchemes: {
        basic: { type: 'http', scheme: 'basic' },
        bearer: { type: 'http', scheme: 'bearer' },
      },
    },
  };
}
