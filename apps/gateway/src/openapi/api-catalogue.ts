/**
 * Every operation of the REST API the gateway serves under `/rest/v1`: method, path template,
 * request body and success response. The OpenAPI document is generated from this list, and the
 * gateway answers only what is listed (anything else is a 404), so the two cannot drift apart.
 */
export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface Operation {
  method: Method;
  /** Under `/rest/v1`, with `{name}` path parameters. */
  path: string;
  tag: string;
  summary: string;
  /** Component schema of the JSON body, or `multipart` for a file upload. */
  body?: string;
  multipart?: boolean;
  /** Success status and its component schema (none: an empty body). */
  status: number;
  response?: string;
  /** A list endpoint: `offset`, `limit`, `sort` and `q` apply. */
  list?: boolean;
  /** The response is a file (`application/octet-stream`). */
  download?: boolean;
  /** Query parameters other than the list ones. */
  query?: string[];
}

type Spec = Omit<Operation, 'method' | 'path' | 'tag'>;

const get = (summary: string, response: string, more: Partial<Spec> = {}): Spec => ({
  summary,
  status: 200,
  response,
  ...more,
});
const list = (summary: string, item: string, more: Partial<Spec> = {}): Spec =>
  get(summary, `${item}Page`, { list: true, ...more });
const create = (summary: string, body: string, response: string): Spec => ({ summary, body, status: 201, response });
const update = (summary: string, body: string, response: string): Spec => ({ summary, body, status: 200, response });
const command = (summary: string, body?: string): Spec => ({ summary, status: 204, ...(body ? { body } : {}) });
const remove = (summary: string): Spec => ({ summary, status: 204 });

/** Operations by tag, then by path and method. */
const catalogue: Record<string, Record<string, Partial<Record<Method, Spec>>>> = {
  Rollouts: {
    '/rollouts': {
      GET: list('List rollouts', 'Rollout'),
      POST: create('Create a rollout (asynchronous: it starts in creating)', 'RolloutCreate', 'Rollout'),
    },
    '/rollouts/{rolloutId}': {
      GET: get('One rollout with its progress', 'Rollout'),
      PUT: update('Change name and description', 'RolloutUpdate', 'Rollout'),
      DELETE: remove('Delete (hard when never started, soft otherwise)'),
    },
    '/rollouts/{rolloutId}/progress': {
      GET: get('Counts per status over time (1 s buckets while running, 1 min after)', 'RolloutProgress', {
        query: ['group', 'from', 'to', 'bucketSeconds'],
      }),
    },
    '/rollouts/{rolloutId}/audit': {
      GET: get('Every state change and decision, with its reason and figures', 'RolloutAudit'),
    },
    '/rollouts/{rolloutId}/start': { POST: command('Start') },
    '/rollouts/{rolloutId}/pause': { POST: command('Pause') },
    '/rollouts/{rolloutId}/resume': { POST: command('Resume') },
    '/rollouts/{rolloutId}/stop': { POST: command('Stop') },
    '/rollouts/{rolloutId}/triggerNextGroup': { POST: command('Start the next scheduled group now') },
    '/rollouts/{rolloutId}/approve': { POST: { ...command('Approve'), query: ['remark'] } },
    '/rollouts/{rolloutId}/deny': { POST: { ...command('Deny'), query: ['remark'] } },
    '/rollouts/{rolloutId}/retry': {
      POST: { summary: 'Retry over the failed targets', status: 201, response: 'Rollout' },
    },
    '/rollouts/{rolloutId}/deploygroups': { GET: list('Deploy groups of a rollout', 'DeployGroup') },
    '/rollouts/{rolloutId}/deploygroups/{groupId}': { GET: get('One deploy group', 'DeployGroup') },
    '/rollouts/{rolloutId}/deploygroups/{groupId}/targets': { GET: list('Targets of a deploy group', 'Target') },
  },
  Targets: {
    '/targets': {
      GET: list('List targets', 'Target'),
      POST: create('Create targets', 'TargetCreate', 'TargetList'),
    },
    '/targets/{targetId}': {
      GET: get('One target', 'Target'),
      PUT: update('Change a target', 'TargetUpdate', 'Target'),
      DELETE: remove('Delete a target'),
    },
    '/targets/{targetId}/attributes': { GET: get('Attributes the device reported', 'TargetAttributes') },
    '/targets/{targetId}/assignedDS': {
      GET: get('The distribution set assigned to a target (204: none)', 'DistributionSet'),
    },
    '/targets/{targetId}/installedDS': {
      GET: get('The distribution set installed on a target (204: none)', 'DistributionSet'),
    },
    '/targets/{targetId}/tags': { GET: get('Tags of a target', 'TagList') },
    '/targets/{targetId}/targettype': {
      POST: command('Assign a target type', 'TargetTypeAssignment'),
      DELETE: remove('Unassign the target type'),
    },
    '/targets/{targetId}/metadata': {
      GET: list('Metadata of a target', 'Metadata'),
      POST: create('Add metadata', 'MetadataCreate', 'MetadataList'),
    },
    '/targets/{targetId}/metadata/{metadataKey}': {
      GET: get('One metadata entry', 'Metadata'),
      PUT: command('Change a metadata value', 'MetadataUpdate'),
      DELETE: remove('Delete a metadata entry'),
    },
  },
  Actions: {
    '/actions': { GET: list('List actions', 'Action') },
    '/actions/{actionId}': { GET: get('One action', 'Action') },
    '/targets/{targetId}/actions': { GET: list('Actions of a target, newest first', 'Action') },
    '/targets/{targetId}/actions/{actionId}': { GET: get('One action of a target', 'Action') },
    '/targets/{targetId}/actions/{actionId}/status': {
      GET: list('Status history of an action, newest first', 'ActionStatus'),
    },
  },
  'Target types': {
    '/targettypes': {
      GET: list('List target types', 'TargetType'),
      POST: create('Create target types', 'TypeCreate', 'TargetTypeList'),
    },
    '/targettypes/{targetTypeId}': {
      GET: get('One target type', 'TargetType'),
      PUT: update('Change a target type', 'TypeUpdate', 'TargetType'),
      DELETE: remove('Delete a target type'),
    },
    '/targettypes/{targetTypeId}/compatibledistributionsettypes': {
      GET: get('Distribution set types compatible with a target type', 'DistributionSetTypeList'),
    },
  },
  'Target tags': {
    '/targettags': { GET: list('List target tags', 'Tag'), POST: create('Create target tags', 'TagCreate', 'TagList') },
    '/targettags/{targetTagId}': {
      GET: get('One tag', 'Tag'),
      PUT: update('Change a tag', 'TagUpdate', 'Tag'),
      DELETE: remove('Delete a tag'),
    },
    '/targettags/{targetTagId}/assigned': {
      GET: list('Targets with the tag', 'Target'),
      POST: { summary: 'Tag targets', body: 'ControllerIds', status: 204 },
      DELETE: { summary: 'Untag targets', body: 'ControllerIds', status: 204 },
    },
    '/targettags/{targetTagId}/assigned/{controllerId}': {
      POST: command('Tag one target'),
      DELETE: remove('Untag one target'),
    },
  },
  'Target filters': {
    '/targetfilters': {
      GET: list('List saved target filters', 'TargetFilter'),
      POST: create('Save a target filter', 'TargetFilterBody', 'TargetFilter'),
    },
    '/targetfilters/{filterId}': {
      GET: get('One saved filter', 'TargetFilter'),
      PUT: update('Change a saved filter', 'TargetFilterBody', 'TargetFilter'),
      DELETE: remove('Delete a saved filter'),
    },
  },
  'Software module types': {
    '/softwaremoduletypes': {
      GET: list('List software module types', 'SoftwareModuleType'),
      POST: create('Create software module types', 'TypeCreate', 'SoftwareModuleTypeList'),
    },
    '/softwaremoduletypes/{softwareModuleTypeId}': {
      GET: get('One software module type', 'SoftwareModuleType'),
      PUT: update('Change a software module type', 'TypeUpdate', 'SoftwareModuleType'),
      DELETE: remove('Delete a software module type'),
    },
  },
  'Distribution set types': {
    '/distributionsettypes': {
      GET: list('List distribution set types', 'DistributionSetType'),
      POST: create('Create distribution set types', 'TypeCreate', 'DistributionSetTypeList'),
    },
    '/distributionsettypes/{distributionSetTypeId}': {
      GET: get('One distribution set type', 'DistributionSetType'),
      PUT: update('Change a distribution set type', 'TypeUpdate', 'DistributionSetType'),
      DELETE: remove('Delete a distribution set type'),
    },
    '/distributionsettypes/{distributionSetTypeId}/mandatorymoduletypes': {
      GET: get('Mandatory module types', 'SoftwareModuleTypeList'),
    },
    '/distributionsettypes/{distributionSetTypeId}/optionalmoduletypes': {
      GET: get('Optional module types', 'SoftwareModuleTypeList'),
    },
  },
  'Software modules': {
    '/softwaremodules': {
      GET: list('List software modules', 'SoftwareModule'),
      POST: create('Create software modules', 'SoftwareModuleCreate', 'SoftwareModuleList'),
    },
    '/softwaremodules/{softwareModuleId}': {
      GET: get('One software module', 'SoftwareModule'),
      PUT: update('Change a software module', 'SoftwareModuleUpdate', 'SoftwareModule'),
      DELETE: remove('Delete a software module'),
    },
    '/softwaremodules/{softwareModuleId}/artifacts': {
      GET: get('Artifacts of a module', 'ArtifactList'),
      POST: {
        summary: 'Upload an artifact (multipart, streamed)',
        body: 'ArtifactUpload',
        multipart: true,
        status: 201,
        response: 'Artifact',
      },
    },
    '/softwaremodules/{softwareModuleId}/artifacts/{artifactId}': {
      GET: get('One artifact', 'Artifact'),
      DELETE: remove('Delete an artifact'),
    },
    '/softwaremodules/{softwareModuleId}/artifacts/{artifactId}/download': {
      GET: { summary: 'Download an artifact', status: 200, download: true },
    },
  },
  'Distribution sets': {
    '/distributionsets': {
      GET: list('List distribution sets', 'DistributionSet'),
      POST: create('Create distribution sets', 'DistributionSetCreate', 'DistributionSetList'),
    },
    '/distributionsets/{distributionSetId}': {
      GET: get('One distribution set', 'DistributionSet'),
      PUT: update('Change a distribution set', 'DistributionSetUpdate', 'DistributionSet'),
      DELETE: remove('Delete a distribution set'),
    },
    '/distributionsets/{distributionSetId}/assignedSM': {
      GET: list('Modules of a set', 'SoftwareModule'),
      POST: { summary: 'Assign modules to a set', body: 'ModuleRefs', status: 204 },
    },
    '/distributionsets/{distributionSetId}/assignedSM/{softwareModuleId}': {
      DELETE: remove('Take a module out of a set'),
    },
  },
  System: {
    '/system/configs': {
      GET: get('Every tenant setting', 'SystemConfigs'),
      PUT: update('Change several tenant settings at once, all or nothing', 'SystemConfigBatch', 'SystemConfigs'),
    },
    '/system/configs/{keyName}': {
      GET: get('One tenant setting', 'SystemConfig'),
      PUT: update('Change a tenant setting', 'SystemConfigValue', 'SystemConfig'),
      DELETE: remove('Reset a tenant setting to its default'),
    },
  },
};

/** The catalogue, flattened. */
export const operations: readonly Operation[] = Object.entries(catalogue).flatMap(([tag, paths]) =>
  Object.entries(paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, spec]) => ({ method: method as Method, path, tag, ...(spec as Spec) })),
  ),
);

const templates = operations.map((operation) => ({
  operation,
  pattern: new RegExp(`^/rest/v1${operation.path.replace(/\{[^}]+\}/g, '[^/]+')}/?$`),
}));

/** The operation a request is for (HEAD as GET), or undefined when the API has none there. */
export function operationFor(method: string, path: string): Operation | undefined {
  const wanted = method === 'HEAD' ? 'GET' : method;
  return templates.find((t) => t.operation.method === wanted && t.pattern.test(path))?.operation;
}
