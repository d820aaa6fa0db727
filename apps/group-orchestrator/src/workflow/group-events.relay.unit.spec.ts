import { Topics, type RecordedEvent } from '@fleetwave/contracts';
import { groupEventRoute } from './group-events.relay';

const recorded = (type: string): RecordedEvent => ({
  id: `e-${type}`,
  type,
  data: { rolloutId: 42 },
  metadata: {},
  streamName: 'groupworkflow-42',
  revision: 0,
  position: 1n,
  createdAt: new Date(0),
});

describe('relay of workflow streams', () => {
  it('publishes every group event to rollout-group.events.v1 keyed by rollout', () => {
    const types = [
      'RolloutGroupStarted.v1',
      'RolloutGroupFinished.v1',
      'RolloutGroupFailed.v1',
      'RolloutPauseRequested.v1',
      'RolloutGroupsCompleted.v1',
    ];
    expect(types.map((t) => groupEventRoute(recorded(t)))).toEqual(
      types.map(() => ({ topic: Topics.rolloutGroupEvents, key: '42' })),
    );
  });

  it('publishes none of the private workflow events', () => {
    const types = [
      'GroupWorkflowDefined.v1',
      'GroupTotalsKnown.v1',
      'GroupWorkflowPaused.v1',
      'GroupWorkflowResumed.v1',
      'GroupWorkflowStopping.v1',
      'GroupWorkflowSettled.v1',
      'GroupWorkflowClosed.v1',
    ];
    expect(types.map((t) => groupEventRoute(recorded(t)))).toEqual(types.map(() => undefined));
  });
});
