import type {
  ActionStatusChangedV1,
  ActionType,
  CancelDownloadMessage,
  DeviceActionStatus,
  DeviceInboundMessage,
} from '@fleetwave/contracts';
import type { BatchItem } from '@fleetwave/messaging';
import type { Envelope } from '@fleetwave/service-kit';
import { actionStream, settledStream } from '../action-streams';
import { GroupEventsConsumer } from '../consumers/group-events.consumer';
import { RolloutEventsConsumer } from '../consumers/rollout-events.consumer';
import { groupStarted, rolloutOf, rolloutStarted, type DispatchFixture } from './dispatch.fixture';

/** What the stop and delete tests look at, on the fixture's schema. */
export class EndingProbe {
  private readonly rollouts: RolloutEventsConsumer;
  private readonly groups: GroupEventsConsumer;

  constructor(private readonly fx: DispatchFixture) {
    this.rollouts = new RolloutEventsConsumer(fx.deps);
    this.groups = new GroupEventsConsumer(fx.deps);
  }

  /**
   * A started rollout of groups of `sizes` (of the fixture's action type unless `actionType` is
   * given), group 1 started and activated; the rest scheduled.
   */
  readonly underway = async (sizes: number[], actionType?: ActionType): Promise<ReturnType<typeof rolloutOf>> => {
    const rollout = rolloutOf(sizes);
    if (actionType) rollout.created = { ...rollout.created, data: { ...(rollout.created.data as object), actionType } };
    await this.lifecycle(rollout.created, ...rollout.members, rolloutStarted(rollout.rolloutId));
    await this.fx.run(this.groups.handleBatch, [this.fx.item(groupStarted(rollout.rolloutId, rollout.groups[0]))]);
    await this.fx.dispatch();
    return rollout;
  };

  /** Rollout events consumed in one batch. */
  readonly lifecycle = (...events: Envelope[]) => {
    return this.fx.run(
      this.rollouts.handleBatch,
      events.map((e) => this.fx.item(e)),
    );
  };

  readonly report = (
    action: { id: number; controller: string },
    status: DeviceActionStatus,
  ): BatchItem<DeviceInboundMessage> => {
    return this.fx.item<DeviceInboundMessage>({
      type: 'UPDATE_ACTION_STATUS',
      controllerId: action.controller,
      actionId: action.id,
      status,
    });
  };

  readonly statuses = async (rolloutId: number): Promise<string[]> => {
    return (await this.fx.actions(rolloutId)).map((a) => a.status);
  };

  /** The rollout's settlement events (type and data), per ending. */
  readonly settlements = async (rolloutId: number): Promise<{ stopped: unknown[][]; deleted: unknown[][] }> => {
    const of = async (ending: 'STOPPED' | 'DELETED') =>
      (await this.fx.events(settledStream(rolloutId, ending))).map((e) => [e.type, e.data]);
    return { stopped: await of('STOPPED'), deleted: await of('DELETED') };
  };

  /** The CANCEL_DOWNLOAD instructions in an action's stream. */
  readonly cancels = async (actionId: number): Promise<CancelDownloadMessage[]> => {
    return (await this.fx.events(actionStream(actionId)))
      .filter((e) => e.type === 'DeviceMessageRequested.v1' && (e.data as { type: string }).type === 'CANCEL_DOWNLOAD')
      .map((e) => e.data as CancelDownloadMessage);
  };

  /** An action's status changes as `from->to`. */
  readonly transitions = async (actionId: number): Promise<string[]> => {
    return (await this.fx.events(actionStream(actionId)))
      .filter((e) => e.type === 'ActionStatusChanged.v1')
      .map((e) => e.data as ActionStatusChangedV1)
      .map((c) => `${c.from}->${c.to}`);
  };
}
