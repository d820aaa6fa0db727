import type {
  ActionStatusChangedV1,
  ActionType,
  DeviceActionStatus,
  DeviceInboundMessage,
  DeviceOutboundMessage,
  GroupMember,
} from '@fleetwave/contracts';
import { rolloutCreatedData } from '@fleetwave/testing';
import type { Envelope } from '@fleetwave/service-kit';
import { actionStream } from '../action-streams';
import { DeviceStatusConsumer } from '../consumers/device-status.consumer';
import { GroupEventsConsumer } from '../consumers/group-events.consumer';
import { RolloutEventsConsumer } from '../consumers/rollout-events.consumer';
import { DispatchFixture, freshId, groupStarted, rolloutStarted } from './dispatch.fixture';

/** Targets shared between rollouts: fresh ids, devices named after them. */
export const targets = (count: number): GroupMember[] =>
  Array.from({ length: count }, () => {
    const targetId = freshId();
    return { targetId, controllerId: `dev-${targetId}` };
  });

/** A rollout over the given targets, one group per entry, delivering distribution set `setId`. */
export function rolloutOver(
  groups: GroupMember[][],
  options: { setId?: number; confirmationRequired?: boolean; actionType?: ActionType; forceTime?: number } = {},
): { rolloutId: number; groups: number[]; events: Envelope[] } {
  const rolloutId = freshId();
  const groupIds = groups.map(() => freshId());
  const data = rolloutCreatedData(rolloutId, groupIds);
  data.distributionSet = { ...data.distributionSet, id: options.setId ?? data.distributionSet.id };
  data.actionType = options.actionType ?? data.actionType;
  data.forceTime = options.forceTime;
  data.groups = data.groups.map((g) => ({ ...g, confirmationRequired: options.confirmationRequired ?? false }));
  const members = groups.map((members, g) => ({
    type: 'RolloutGroupMembersAssigned.v1',
    data: { rolloutId, groupId: groupIds[g], chunk: 0, members },
  }));
  return { rolloutId, groups: groupIds, events: [{ type: 'RolloutCreated.v1', data }, ...members] };
}

/** One action's stream, read back: its status changes and the device messages it asked for. */
export interface ActionHistory {
  changes: string[];
  messages: DeviceOutboundMessage['type'][];
}

/** Drives the consumers and the dispatch worker's chunks on one fixture, as the service does. */
export class TakeoverDriver {
  readonly rollouts: RolloutEventsConsumer;
  readonly groups: GroupEventsConsumer;
  readonly devices: DeviceStatusConsumer;

  constructor(readonly fx: DispatchFixture) {
    this.rollouts = new RolloutEventsConsumer(fx.deps);
    this.groups = new GroupEventsConsumer(fx.deps);
    this.devices = new DeviceStatusConsumer(fx.deps);
  }

  /** Defines and starts a rollout (with the tenant's confirmation flow setting, if given), and works its creation. */
  async start(rollout: { rolloutId: number; events: Envelope[] }, confirmationFlowEnabled?: boolean): Promise<void> {
    const events = [...rollout.events, rolloutStarted(rollout.rolloutId, confirmationFlowEnabled)];
    await this.fx.run(
      this.rollouts.handleBatch,
      events.map((e) => this.fx.item(e)),
    );
    await this.fx.dispatch();
  }

  /** Starts one of its groups and works its activation. */
  async startGroup(rollout: { rolloutId: number; groups: number[] }, index = 0): Promise<void> {
    await this.fx.run(this.groups.handleBatch, [
      this.fx.item(groupStarted(rollout.rolloutId, rollout.groups[index], index + 1)),
    ]);
    await this.fx.dispatch();
  }

  /** Device reports, one batch. */
  report(reports: { id: number; controller: string; status: DeviceActionStatus }[]) {
    return this.fx.run(
      this.devices.handleBatch,
      reports.map((r) =>
        this.fx.item<DeviceInboundMessage>({
          type: 'UPDATE_ACTION_STATUS',
          controllerId: r.controller,
          actionId: r.id,
          status: r.status,
        }),
      ),
    );
  }

  async history(actionId: number): Promise<ActionHistory> {
    const events = await this.fx.events(actionStream(actionId));
    return {
      changes: events
        .filter((e) => e.type === 'ActionStatusChanged.v1')
        .map((e) => `${(e.data as ActionStatusChangedV1).from}->${(e.data as ActionStatusChangedV1).to}`),
      messages: events
        .filter((e) => e.type === 'DeviceMessageRequested.v1')
        .map((e) => (e.data as DeviceOutboundMessage).type),
    };
  }

  /** Every action of the rollout: its device, status and history. */
  async actions(rolloutId: number) {
    const rows = await this.fx.actions(rolloutId);
    return Promise.all(rows.map(async (a) => ({ ...a, ...(await this.history(a.id)) })));
  }

  /** How many events the schema's store holds in all: a redelivery must add none. */
  async eventCount(): Promise<number> {
    const { rows } = await this.fx.pool.query<{ n: number }>(
      `select count(*)::int as n from "${this.fx.schema}".events`,
    );
    return rows[0].n;
  }
}
