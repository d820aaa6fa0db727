import { rolloutViewStatuses } from '@fleetwave/contracts';
import { arr, audit, bool, int, links, map, num, obj, oneOf, paged, ref, str, time, type Schema } from './schema-dsl';

const perStatus = obj({ running: int, notstarted: int, scheduled: int, cancelled: int, finished: int, error: int }, [
  'running',
  'notstarted',
  'scheduled',
  'cancelled',
  'finished',
  'error',
]);
const condition = obj({ condition: oneOf('THRESHOLD', 'ERROR_COUNT'), expression: str }, ['condition']);
const action = obj({ action: oneOf('NEXTGROUP', 'PAUSE'), expression: str }, ['action']);
const actionType = oneOf('forced', 'soft', 'timeforced', 'downloadonly');
const rolloutStatus = oneOf(...rolloutViewStatuses);
const groupPolicy = {
  successCondition: condition,
  successAction: action,
  errorCondition: condition,
  errorAction: action,
};
const hashes = obj({ sha1: str, md5: str, sha256: str });
const moduleRef = obj({ id: int }, ['id']);

/** Response bodies: hawkBit's Mgmt* shapes, as far as this API serves them. */
const responses: Record<string, Schema> = {
  Error: obj({ exceptionClass: str, errorCode: str, message: str }, ['errorCode', 'message']),
  Rollout: obj(
    {
      id: int,
      name: str,
      description: str,
      status: rolloutStatus,
      targetFilterQuery: str,
      distributionSetId: int,
      type: actionType,
      weight: int,
      startAt: time,
      forcetime: time,
      totalGroups: int,
      totalTargets: int,
      totalTargetsPerStatus: perStatus,
      deleted: bool,
      approvalDecidedBy: str,
      approveDecidedBy: str,
      approvalRemark: str,
      estimatedCompletionAt: { ...time, nullable: true },
      ...audit,
      _links: links(),
    },
    ['id', 'name', 'status', 'totalTargets', '_links'],
  ),
  DeployGroup: obj(
    {
      id: int,
      name: str,
      description: str,
      status: oneOf('creating', 'ready', 'scheduled', 'running', 'finished', 'error'),
      targetPercentage: num,
      targetFilterQuery: str,
      confirmationRequired: bool,
      ...groupPolicy,
      totalTargets: int,
      totalTargetsPerStatus: perStatus,
      ...audit,
      _links: links(),
    },
    ['id', 'name', 'status', 'totalTargets', '_links'],
  ),
  Target: obj(
    {
      id: int,
      controllerId: str,
      name: str,
      description: str,
      updateStatus: oneOf('unknown', 'in_sync', 'pending', 'error', 'registered'),
      lastControllerRequestAt: time,
      installedAt: time,
      ipAddress: str,
      address: str,
      securityToken: str,
      requestAttributes: bool,
      targetType: int,
      targetTypeName: str,
      autoConfirmActive: bool,
      ...audit,
      _links: links(),
    },
    ['controllerId', 'name', '_links'],
  ),
  TargetAttributes: map(str),
  TargetType: obj(
    { id: int, key: str, name: str, description: str, colour: str, deleted: bool, ...audit, _links: links() },
    ['id', 'name', '_links'],
  ),
  Tag: obj({ id: int, name: str, description: str, colour: str, ...audit, _links: links() }, ['id', 'name', '_links']),
  TargetFilter: obj({ id: int, name: str, query: str, autoAssignDistributionSet: int, ...audit, _links: links() }, [
    'id',
    'name',
    'query',
    '_links',
  ]),
  Metadata: obj({ key: str, value: str, targetVisible: bool }, ['key']),
  SoftwareModuleType: obj(
    {
      id: int,
      key: str,
      name: str,
      description: str,
      colour: str,
      maxAssignments: int,
      minArtifacts: int,
      deleted: bool,
      ...audit,
      _links: links(),
    },
    ['id', 'key', 'name', '_links'],
  ),
  DistributionSetType: obj(
    { id: int, key: str, name: str, description: str, colour: str, deleted: bool, ...audit, _links: links() },
    ['id', 'key', 'name', '_links'],
  ),
  SoftwareModule: obj(
    {
      id: int,
      name: str,
      version: str,
      type: str,
      typeName: str,
      vendor: str,
      description: str,
      locked: bool,
      deleted: bool,
      encrypted: bool,
      ...audit,
      _links: links(),
    },
    ['id', 'name', 'version', 'type', '_links'],
  ),
  DistributionSet: obj(
    {
      id: int,
      name: str,
      version: str,
      type: str,
      typeName: str,
      description: str,
      modules: arr(ref('SoftwareModule')),
      requiredMigrationStep: bool,
      complete: bool,
      locked: bool,
      valid: bool,
      deleted: bool,
      ...audit,
      _links: links(),
    },
    ['id', 'name', 'version', '_links'],
  ),
  Artifact: obj({ id: int, providedFilename: str, size: int, hashes, ...audit, _links: links() }, [
    'id',
    'providedFilename',
    'size',
    'hashes',
    '_links',
  ]),
  Action: obj(
    {
      id: int,
      type: oneOf('update', 'cancel'),
      status: oneOf('finished', 'pending'),
      detailStatus: str,
      actionType: actionType,
      forceTime: time,
      weight: int,
      rollout: int,
      rolloutName: str,
      lastStatusCode: int,
      ...audit,
      _links: links(),
    },
    ['id', 'status', '_links'],
  ),
  ActionStatus: obj({ id: int, type: str, messages: arr(str), reportedAt: time, timestamp: time, code: int }, [
    'id',
    'type',
  ]),
  RolloutProgress: obj(
    {
      rolloutId: int,
      bucketSeconds: int,
      series: arr(obj({ at: time, group: int, counts: perStatus }, ['at', 'counts'])),
    },
    ['rolloutId', 'series'],
  ),
  RolloutAudit: arr(
    obj(
      {
        at: time,
        subject: oneOf('rollout', 'group'),
        groupId: int,
        from: str,
        to: str,
        eventType: str,
        eventId: str,
        causationId: str,
        correlationId: str,
        actor: str,
        reason: str,
        figures: obj({}),
      },
      ['at', 'subject', 'eventType', 'reason'],
    ),
  ),
  SystemConfig: obj({ value: {}, global: bool, ...audit, _links: links() }, ['value']),
  SystemConfigs: map(ref('SystemConfig')),
};

const rolloutBody = {
  name: str,
  description: str,
  distributionSetId: int,
  targetFilterQuery: str,
  amountGroups: int,
  type: actionType,
  forcetime: time,
  startAt: time,
  weight: int,
  confirmationRequired: bool,
  dynamic: bool,
  dynamicGroupTemplate: obj({ nameSuffix: str, targetCount: int }),
  ...groupPolicy,
  groups: arr(
    obj(
      {
        name: str,
        description: str,
        targetFilterQuery: str,
        targetPercentage: num,
        confirmationRequired: bool,
        ...groupPolicy,
      },
      ['name'],
    ),
  ),
};

/** Request bodies the API takes. */
const requests: Record<string, Schema> = {
  RolloutCreate: obj(rolloutBody, ['name', 'distributionSetId', 'targetFilterQuery']),
  RolloutUpdate: obj({ name: str, description: str }),
  Remark: obj({ remark: str }),
  TargetCreate: arr(
    obj({ controllerId: str, name: str, description: str, securityToken: str, address: str, targetType: int }, [
      'controllerId',
    ]),
  ),
  TargetUpdate: obj({ name: str, description: str, targetType: int, requestAttributes: bool }),
  TargetTypeAssignment: obj({ id: int }, ['id']),
  TypeCreate: arr(obj({ key: str, name: str, description: str, colour: str, maxAssignments: int }, ['name'])),
  TypeUpdate: obj({ description: str, colour: str }),
  TagCreate: arr(obj({ name: str, description: str, colour: str }, ['name'])),
  TagUpdate: obj({ name: str, description: str, colour: str }),
  ControllerIds: arr(str),
  TargetFilterBody: obj({ name: str, query: str }, ['name', 'query']),
  MetadataCreate: arr(obj({ key: str, value: str }, ['key'])),
  MetadataUpdate: obj({ value: str }),
  SoftwareModuleCreate: arr(
    obj({ name: str, version: str, type: str, vendor: str, description: str }, ['name', 'version', 'type']),
  ),
  SoftwareModuleUpdate: obj({ description: str, vendor: str }),
  DistributionSetCreate: arr(
    obj(
      { name: str, version: str, type: str, description: str, modules: arr(moduleRef), requiredMigrationStep: bool },
      ['name', 'version'],
    ),
  ),
  DistributionSetUpdate: obj({ name: str, version: str, description: str, requiredMigrationStep: bool }),
  ModuleRefs: arr(moduleRef),
  ArtifactUpload: obj(
    { file: { type: 'string', format: 'binary' }, filename: str, sha1sum: str, md5sum: str, sha256sum: str },
    ['file'],
  ),
  SystemConfigValue: obj({ value: {} }, ['value']),
  SystemConfigBatch: map({}),
};

const pages = Object.fromEntries(
  [
    'Rollout',
    'DeployGroup',
    'Target',
    'TargetType',
    'Tag',
    'TargetFilter',
    'SoftwareModuleType',
    'DistributionSetType',
    'SoftwareModule',
    'DistributionSet',
    'Action',
    'ActionStatus',
    'Artifact',
    'Metadata',
  ].flatMap((name) => [
    [`${name}Page`, paged(name)],
    [`${name}List`, arr(ref(name))],
  ]),
);

/** Every schema under `components.schemas`. */
export const componentSchemas: Record<string, Schema> = { ...responses, ...pages, ...requests };
