import { renderAudit, selfLink } from '../inventory-rendering';

type Json = Record<string, unknown>;

const text = (value: unknown) => String(value ?? '');
const optionalText = (value: unknown) => (typeof value === 'string' ? value : undefined);

const renderType = (view: Json) => ({
  id: Number(view.id),
  key: text(view.key),
  name: text(view.name),
  description: text(view.description),
  colour: optionalText(view.colour),
  deleted: false,
  ...renderAudit(view.audit),
});

/** hawkBit's MgmtSoftwareModuleType of a `SoftwareModuleTypeView`. */
export const renderSoftwareModuleType = (view: Json) => ({
  ...renderType(view),
  maxAssignments: Number(view.maxAssignments ?? 0),
  minArtifacts: Number(view.minArtifacts ?? 0),
  _links: selfLink('softwaremoduletypes', Number(view.id)),
});

/** hawkBit's MgmtDistributionSetType of a `DistributionSetTypeView`. */
export const renderDistributionSetType = (view: Json) => ({
  ...renderType(view),
  _links: selfLink('distributionsettypes', Number(view.id)),
});

/** hawkBit's MgmtSoftwareModule of a `SoftwareModuleView`; a module of an unknown type is named by its type key. */
export const renderSoftwareModule = (view: Json) => ({
  id: Number(view.id),
  name: text(view.name),
  version: text(view.version),
  type: text(view.type),
  typeName: text(view.typeName ?? view.type),
  vendor: text(view.vendor),
  description: text(view.description),
  encrypted: false,
  locked: view.locked === true,
  deleted: view.deleted === true,
  complete: true,
  ...renderAudit(view.audit),
  _links: selfLink('softwaremodules', Number(view.id)),
});

/**
 * hawkBit's MgmtDistributionSet of a `DistributionSetView` (repository.proto), its modules
 * rendered as {@link renderSoftwareModule}; a set of an unknown type is named by its type key.
 */
export const renderDistributionSet = (view: Json) => ({
  id: Number(view.id),
  name: text(view.name),
  version: text(view.version),
  type: text(view.type),
  typeName: text(view.typeName ?? view.type),
  description: text(view.description),
  complete: view.complete === true,
  locked: view.locked === true,
  deleted: view.deleted === true,
  valid: true,
  requiredMigrationStep: view.requiredMigrationStep === true,
  modules: ((view.modules ?? []) as Json[]).map(renderSoftwareModule),
  ...renderAudit(view.audit),
  _links: selfLink('distributionsets', Number(view.id)),
});
