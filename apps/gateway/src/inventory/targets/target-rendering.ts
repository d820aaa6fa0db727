import { renderAudit, selfLink } from '../inventory-rendering';

type Json = Record<string, unknown>;

const optionalText = (value: unknown) => (typeof value === 'string' ? value : undefined);
const optionalNumber = (value: unknown) => (value === undefined || value === null ? undefined : Number(value));

/**
 * hawkBit's MgmtTarget of a `TargetView` (targets.proto), linked by its controllerId. A target
 * without a description has an empty one; the connection fields hawkBit also has are not kept.
 */
export const renderTarget = (view: Json) => ({
  // Not in hawkBit's MgmtTarget, kept because every entity here carries its numeric id.
  id: Number(view.id),
  controllerId: String(view.controllerId ?? ''),
  name: String(view.name ?? ''),
  description: optionalText(view.description) ?? '',
  updateStatus: String(view.updateStatus ?? ''),
  lastControllerRequestAt: optionalNumber(view.lastControllerRequestAt),
  requestAttributes: true,
  targetType: optionalNumber(view.targetType),
  targetTypeName: optionalText(view.targetTypeName),
  ...renderAudit(view.audit),
  _links: selfLink('targets', String(view.controllerId ?? '')),
});

/** hawkBit's MgmtMetadata of a `TargetMetadataEntry`: an empty value is sent as one. */
export const renderMetadata = (entry: Json) => ({ key: String(entry.key ?? ''), value: String(entry.value ?? '') });
