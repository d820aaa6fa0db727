/**
 * hawkBit's JSON of actions and their status history, from the views reporting tells
 * (`fleetwave.internal.v1.ActionView`, `ActionStatusView`, or the same data in-process).
 */

/** An action as the actions read model holds it. */
export interface ActionView {
  id: number;
  rolloutId: number;
  groupId: number;
  controllerId: string;
  /** The action's own status (hawkBit's `detailStatus`). */
  status: string;
  active: boolean;
  type: string;
  createdAt: number;
  createdBy: string;
  lastModifiedAt: number;
  lastStatusCode?: number;
  /** The rollout's facts, once its creation is projected. */
  rolloutName?: string;
  actionType?: string;
  weight?: number;
  forceTime?: number;
  distributionSetId?: number;
  distributionSetName?: string;
  distributionSetVersion?: string;
}

/** One entry of an action's status history, as hawkBit's MgmtActionStatus has it. */
export interface ActionStatusView {
  id: number;
  type: string;
  messages: string[];
  /** When it was recorded. */
  reportedAt: number;
  /** When it happened. */
  timestamp: number;
  code?: number;
}

const targetPath = (controllerId: string) => `/rest/v1/targets/${encodeURIComponent(controllerId)}`;

/** hawkBit's MgmtAction: `status` is pending/finished, `detailStatus` the action's own status. */
export function renderAction(view: ActionView) {
  const self = `${targetPath(view.controllerId)}/actions/${view.id}`;
  return {
    id: view.id,
    type: view.type,
    status: view.active ? 'pending' : 'finished',
    detailStatus: view.status,
    active: view.active,
    // hawkBit 1.1.0 names the action type `forceType`, later versions `actionType`: both carry it.
    forceType: view.actionType,
    actionType: view.actionType,
    forceTime: view.actionType === 'timeforced' ? view.forceTime : undefined,
    weight: view.weight,
    rollout: view.rolloutId,
    rolloutName: view.rolloutName,
    lastStatusCode: view.lastStatusCode,
    createdAt: view.createdAt,
    createdBy: view.createdBy,
    lastModifiedAt: view.lastModifiedAt,
    lastModifiedBy: view.createdBy,
    _links: {
      self: { href: self },
      target: { href: targetPath(view.controllerId), name: view.controllerId },
      ...(view.distributionSetId !== undefined && {
        distributionset: {
          href: `/rest/v1/distributionsets/${view.distributionSetId}`,
          name: `${view.distributionSetName}:${view.distributionSetVersion}`,
        },
      }),
      status: { href: `${self}/status?offset=0&limit=50&sort=id%3ADESC` },
      rollout: {
        href: `/rest/v1/rollouts/${view.rolloutId}`,
        ...(view.rolloutName !== undefined && { name: view.rolloutName }),
      },
    },
  };
}

/** An action's status entry: the view is hawkBit's shape already. */
export const renderActionStatus = (view: ActionStatusView) => ({ ...view });
