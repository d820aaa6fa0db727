import Ajv, { type ValidateFunction } from 'ajv';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** An OpenAPI 3 document, as far as response checks read it. */
interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { responses?: Record<string, { content?: Record<string, { schema?: object }> }> }>
  >;
  components?: { schemas?: Record<string, object> };
}

/** Why a response does not fit a document; empty when it fits or the document says nothing of it. */
export type ContractViolations = string[];

/**
 * Checks JSON response bodies against an OpenAPI document: finds the operation by method and
 * path template, takes the schema of the answered status, and validates the body with it.
 * Responses the document has no schema for are not judged here (which ones must be there is the
 * document's own test).
 */
export class ResponseContract {
  private readonly ajv = new Ajv({ strict: false, validateFormats: false, allErrors: false });
  private readonly templates: { method: string; pattern: RegExp; template: string }[];
  private readonly compiled = new Map<string, ValidateFunction | null>();

  constructor(
    readonly name: string,
    private readonly document: OpenApiDocument,
  ) {
    this.ajv.addSchema({ components: anyForBareObjects(document.components ?? {}) }, 'doc');
    this.templates = Object.entries(document.paths).flatMap(([template, methods]) =>
      Object.keys(methods).map((method) => ({
        method: method.toUpperCase(),
        template,
        pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}/?$`),
      })),
    );
  }

  /** `path` without the query string, e.g. `/rest/v1/rollouts/12`. */
  check(method: string, path: string, status: number, body: unknown): ContractViolations {
    const found = this.templates.find((t) => t.method === method && t.pattern.test(path));
    if (!found || body === undefined) return [];
    const validate = this.validator(found.method, found.template, status);
    if (!validate || validate(body)) return [];
    return (validate.errors ?? []).map(
      (e) => `${this.name}: ${method} ${found.template} ${status}: ${e.instancePath || '(body)'} ${e.message}`,
    );
  }

  private validator(method: string, template: string, status: number): ValidateFunction | null {
    const key = `${method} ${template} ${status}`;
    if (!this.compiled.has(key)) {
      const content = this.document.paths[template][method.toLowerCase()]?.responses?.[String(status)]?.content ?? {};
      const schema = Object.entries(content).find(([type]) => type.includes('json'))?.[1].schema;
      // References point into the document's components, registered above under the id `doc`.
      const rebased = schema && JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"doc#/components/'));
      this.compiled.set(key, rebased ? this.ajv.compile(rebased) : null);
    }
    return this.compiled.get(key) ?? null;
  }
}

/**
 * A schema that is only `type: object`, with nothing of its shape, is how documents generated
 * from Java render a field of type `Object` (any JSON value: hawkBit's tenant setting `value` is a
 * boolean, with `example: true`), so it is read as "any value".
 */
function anyForBareObjects<T>(node: T): T {
  if (Array.isArray(node)) return node.map(anyForBareObjects) as T;
  if (typeof node !== 'object' || node === null) return node;
  const entries = Object.entries(node).map(([key, value]) => [key, anyForBareObjects(value)] as const);
  const shaped = ['properties', 'additionalProperties', 'items', 'allOf', 'oneOf', 'anyOf', '$ref'];
  const bare = (node as Record<string, unknown>).type === 'object' && !entries.some(([key]) => shaped.includes(key));
  return Object.fromEntries(bare ? entries.filter(([key]) => key !== 'type') : entries) as T;
}

/**
 * hawkBit's own Management API document, when it is on this machine (`HAWKBIT_OPENAPI`, or the
 * reference copy beside the project); undefined otherwise.
 */
export function hawkbitContract(): ResponseContract | undefined {
  const file =
    process.env.HAWKBIT_OPENAPI ??
    resolve(__dirname, '../../../../shared/reference/hawkbit-1.1.0-management-api.openapi.json');
  if (!existsSync(file)) return undefined;
  const document = JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument;
  // This API's one extension of hawkBit's shapes (SPEC.md): an error condition may count devices.
  const condition = document.components?.schemas?.MgmtRolloutCondition as
    { properties?: { condition?: { enum?: string[] } } } | undefined;
  condition?.properties?.condition?.enum?.push('ERROR_COUNT');
  return new ResponseContract('hawkBit 1.1.0', document);
}

/** The gateway's own document, fetched from `/v3/api-docs`. */
export async function gatewayContract(gatewayUrl: string): Promise<ResponseContract> {
  const response = await fetch(`${gatewayUrl}/v3/api-docs`, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`GET /v3/api-docs answered ${response.status}`);
  return new ResponseContract('Fleetwave', (await response.json()) as OpenApiDocument);
}
