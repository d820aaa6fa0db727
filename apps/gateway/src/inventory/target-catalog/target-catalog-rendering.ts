import { renderAudit, selfLink } from '../inventory-rendering';

type Json = Record<string, unknown>;

const optionalText = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** hawkBit's MgmtTargetType of a `TargetTypeView`. */
export const renderTargetType = (view: Json) => ({
  id: Number(view.id),
  key: String(view.key ?? ''),
  name: String(view.name ?? ''),
  description: optionalText(view.description) ?? '',
  colour: optionalText(view.colour),
  deleted: false,
  ...renderAudit(view.audit),
  _links: selfLink('targettypes', Number(view.id)),
});

/** hawkBit's MgmtTag of a `TargetTagView` (target-catalog.proto). */
export const renderTargetTag = (view: Json) => ({
  id: Number(view.id),
  name: String(view.name ?? ''),
  description: optionalText(view.description) ?? '',
  colour: optionalText(view.colour),
  ...renderAudit(view.audit),
  _links: selfLink('targettags', Number(view.id)),
});

/** hawkBit's MgmtTargetFilterQuery of a `TargetFilterView`: no auto-assignment, so no confirmation either. */
export const renderTargetFilter = (view: Json) => ({
  id: Number(view.id),
  name: String(view.name ?? ''),
  query: String(view.query ?? ''),
  confirmationRequired: false,
  ...renderAudit(view.audit),
  _links: selfLink('targetfilters', Number(view.id)),
});
