import { Logger } from '@nestjs/common';
import type {
  DeviceInboundMessage,
  DownloadAndInstallMessage,
  EventData,
  UpdateActionStatusMessage,
} from '@fleetwave/contracts';
import { finalActionStatuses } from '@fleetwave/contracts';
import type { SqlExecutor, StreamAppend } from '@fleetwave/event-store';
import type { BatchHandler, BatchItem, BatchResult, RejectedItem } from '@fleetwave/messaging';
import { actionStream, expectedFrom, type DispatchDeps } from '../action-streams';
import { actionStateOf, lockActions, saveActionStates, type ReportedActionRow } from '../actions.queries';
import { settleRollouts } from '../action-settlement';
import { decide, evolve, type ActionEvent, type ActionState } from '../domain/action.decider';
import { dispatchInfosOf, instructionFor } from '../group-activation';

/** An action touched by the batch: its row as locked, its state so far, the events it gained. */
interface Touched {
  row: ReportedActionRow;
  state: ActionState;
  events: EventData[];
}

const isStatusReport = (message: DeviceInboundMessage): message is UpdateActionStatusMessage =>
  message.type === 'UPDATE_ACTION_STATUS';

/**
 * Device status reports in: actions move on, their streams record each change for the group
 * workflow and reporting. A batch locks every action it names at once, folds the reports of one
 * action in Kafka order, then writes all changes with one append and one update. A batch that
 * ends actions of a stopping or deleting rollout then checks whether the rollout has settled.
 */
export class DeviceStatusConsumer {
  private readonly logger = new Logger('ActionDispatch');

  constructor(private readonly deps: DispatchDeps) {}

  readonly handleBatch: BatchHandler<DeviceInboundMessage> = async (items, { tx }) => {
    const result: Required<BatchResult> = { rejected: [], ignored: [] };
    const reports: BatchItem<UpdateActionStatusMessage>[] = [];
    for (const { message, context } of items) {
      if (!isStatusReport(message)) {
        result.ignored.push(context.messageId);
      } else if (!Number.isSafeInteger(message.actionId)) {
        // Beyond 2^53 an id is no longer exact; past 2^63 Postgres would refuse the whole statement.
        result.rejected.push({ messageId: context.messageId, reason: 'actionId out of range' });
      } else {
        reports.push({ message, context });
      }
    }
    if (reports.length === 0) return result;

    const ids = [...new Set(reports.map((r) => r.message.actionId))];
    const rows = await lockActions(tx, this.deps.schema, ids);
    const touched = new Map<number, Touched>(
      rows.map((row) => [Number(row.id), { row, state: actionStateOf(row), events: [] }]),
    );
    const instructions = await this.instructionsForConfirmed(tx, reports, rows);
    for (const item of reports) {
      const outcome = this.fold(item, touched.get(item.message.actionId), instructions);
      if (outcome === 'ignored') result.ignored.push(item.context.messageId);
      else if (outcome !== 'applied') result.rejected.push(outcome);
    }

    const changed = [...touched.values()].filter((t) => t.events.length > 0);
    if (changed.length === 0) return result;
    const appends: StreamAppend[] = changed.map((t) => ({
      streamName: actionStream(Number(t.row.id)),
      expectedRevision: expectedFrom(t.row.revision),
      events: t.events,
    }));
    const appended = await this.deps.store.appendToStreams(appends, { tx });
    await saveActionStates(
      tx,
      this.deps.schema,
      changed.map((t, i) => ({ id: t.row.id, status: t.state.status, revision: appended[i].nextExpectedRevision })),
    );
    // Only an action turning final can settle an ending rollout; the check is skipped for the rest.
    const ended = changed.filter((t) => finalActionStatuses.includes(t.state.status));
    await settleRollouts(this.deps, tx, [...new Set(ended.map((t) => t.state.rolloutId))]);
    return result;
  };

  /**
   * The instructions of actions waiting for confirmation that the batch confirms, sent once
   * they are confirmed: one read of their rollouts' delivery settings for the whole batch.
   */
  private async instructionsForConfirmed(
    tx: SqlExecutor,
    reports: BatchItem<UpdateActionStatusMessage>[],
    rows: ReportedActionRow[],
  ): Promise<Map<number, DownloadAndInstallMessage>> {
    const confirmed = new Set(reports.filter((r) => r.message.status === 'CONFIRMED').map((r) => r.message.actionId));
    const waiting = rows.filter((row) => row.status === 'wait_for_confirmation' && confirmed.has(Number(row.id)));
    const instructions = new Map<number, DownloadAndInstallMessage>();
    if (waiting.length === 0) return instructions;
    const infos = await dispatchInfosOf(this.deps, tx, [...new Set(waiting.map((row) => Number(row.rollout_id)))]);
    for (const row of waiting) {
      const info = infos.get(Number(row.rollout_id));
      if (!info) continue;
      const instruction = instructionFor(info, Number(row.rollout_id), Number(row.group_id));
      instructions.set(Number(row.id), instruction(row));
    }
    return instructions;
  }

  /** Applies one report to its action's state so far; the next report of the action sees the result. */
  private fold(
    { message, context }: BatchItem<UpdateActionStatusMessage>,
    action: Touched | undefined,
    instructions: Map<number, DownloadAndInstallMessage>,
  ): 'applied' | 'ignored' | RejectedItem {
    if (!action) return { messageId: context.messageId, reason: `unknown action ${message.actionId}` };
    if (action.row.controller_id !== message.controllerId) {
      return {
        messageId: context.messageId,
        reason: `action ${message.actionId} does not belong to device ${message.controllerId}`,
      };
    }
    const decision = decide(
      {
        type: 'ReportDeviceStatus',
        status: message.status,
        // Without its rollout's row here, a report is read as one on an installing action.
        actionType: action.row.action_type ?? 'forced',
        at: message.timestamp ?? this.deps.clock(),
        instruction: instructions.get(message.actionId),
      },
      action.state,
    );
    if ('ignored' in decision) {
      if (message.status === 'DENIED') this.logger.log(`action ${message.actionId}: ${decision.ignored}`);
      return 'ignored';
    }
    const metadata = { causationId: context.messageId, correlationId: context.cloudEvent?.correlationId };
    for (const event of decision.events) {
      action.events.push({ ...withDeviceWords(event, message), metadata });
      action.state = evolve(action.state, event);
    }
    return 'applied';
  }
}

/**
 * A status change a report caused carries what the device said with it (`messages`, `code`), so
 * that the action's status history shows them; absent when the device said nothing.
 */
function withDeviceWords(event: ActionEvent, report: UpdateActionStatusMessage): ActionEvent {
  if (event.type !== 'ActionStatusChanged.v1') return event;
  const { messages, code } = report;
  return {
    ...event,
    data: {
      ...event.data,
      ...(messages !== undefined && messages.length > 0 && { messages }),
      ...(code !== undefined && { code }),
    },
  };
}
