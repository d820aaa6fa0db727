import { eventValuesOf, instructionIn, parseJson, type TopicRecord } from '@fleetwave/testing';

/** An install instruction for the run's rollout on device.outbound.v1, with its broker time. */
export interface Instruction {
  actionId: number;
  groupId: number;
  eventId: string;
  at: number;
}

/** A status report of one of the run's devices on device.inbound.v1. */
export interface StatusReport {
  actionId: number;
  status: string;
  at: number;
}

/** A status change of one of the rollout's actions on action.events.v1. */
export interface StatusChange {
  actionId: number;
  groupId: number;
  to: string;
  at: number;
}

/**
 * What a run left on the topics, reduced while reading to the few fields the figures and checks
 * need: a million-device run produces several million records, too many to hold as text.
 */
export interface Observations {
  instructions: Instruction[];
  reports: StatusReport[];
  /** In offset order: action.events is keyed by rollout, so one partition holds them all. */
  changes: StatusChange[];
  /** When each group of the rollout started (RolloutGroupStarted.v1 on rollout-group.events.v1). */
  groupStarts: { groupId: number; at: number }[];
}

export const emptyObservations = (): Observations => ({ instructions: [], reports: [], changes: [], groupStarts: [] });

export function observeOutbound(into: Observations, record: TopicRecord, rolloutId: number): void {
  const seen = instructionIn(record, rolloutId);
  if (!seen) return;
  const groupId = parseJson<{ groupId?: number }>(record.value)?.groupId;
  into.instructions.push({ ...seen, groupId: Number(groupId), at: record.timestamp });
}

export function observeInbound(into: Observations, record: TopicRecord, prefix: string): void {
  const m = parseJson<{ type?: string; controllerId?: string; actionId?: number; status?: string }>(record.value);
  if (m?.type === 'UPDATE_ACTION_STATUS' && m.controllerId?.startsWith(`${prefix}-`))
    into.reports.push({ actionId: Number(m.actionId), status: String(m.status), at: record.timestamp });
}

/** The status changes of a record of action.events.v1 (a batch of the rollout's events, or one). */
export function observeActionEvent(into: Observations, record: TopicRecord, rolloutId: number): void {
  type Event = { type?: string; data?: { rolloutId?: number; actionId?: number; groupId?: number; to?: string } };
  for (const e of eventValuesOf<Event>(record)) {
    if (e?.type === 'ActionStatusChanged.v1' && e.data?.rolloutId === rolloutId)
      into.changes.push({
        actionId: Number(e.data.actionId),
        groupId: Number(e.data.groupId),
        to: String(e.data.to),
        at: record.timestamp,
      });
  }
}

export function observeGroupEvent(into: Observations, record: TopicRecord, rolloutId: number): void {
  const e = parseJson<{ type?: string; data?: { rolloutId?: number; groupId?: number } }>(record.value);
  if (e?.type === 'RolloutGroupStarted.v1' && e.data?.rolloutId === rolloutId)
    into.groupStarts.push({ groupId: Number(e.data.groupId), at: record.timestamp });
}
