import type { BatchItem } from '@fleetwave/messaging';
import type { Envelope } from '@fleetwave/service-kit';
import { createdAndReady, item } from '../../rollout-progress/testing/progress-events.fixture';
import { T0 } from '../../rollout-history/testing/history-events.fixture';

/** One synthetic history: what each topic carries, in the order it was written. */
export interface TopicHistory {
  rollout: BatchItem<Envelope>[];
  group: BatchItem<Envelope>[];
  action: BatchItem<Envelope>[];
}

const chunk = 500;

/**
 * A rollout's whole life on the three topics: `sizes` targets per group, scheduled in chunks,
 * each action running then final (every 20th in error) over some tens of seconds, groups started
 * and finished in turn; `finished` ends it, else it is left running.
 */
export function rolloutHistory(rolloutId: number, sizes: number[], finished: boolean): TopicHistory {
  const history: TopicHistory = {
    rollout: [
      ...createdAndReady(rolloutId, sizes),
      item('RolloutStarted.v1', { rolloutId, startedAt: T0, startedBy: 'ann' }, { actor: 'ann', correlationId: 'c' }),
    ],
    group: [],
    action: [],
  };
  let at = T0 + 100;
  sizes.forEach((size, g) => {
    const groupId = rolloutId + g + 1;
    const index = g + 1;
    const start = at;
    const previous = rolloutId + g;
    history.group.push(
      item('RolloutGroupStarted.v1', {
        rolloutId,
        groupId,
        index,
        startedAt: start,
        reason:
          g === 0
            ? { kind: 'ROLLOUT_STARTED' }
            : {
                kind: 'SUCCESS_CONDITION',
                groupId: previous,
                figures: { total: sizes[g - 1], finished: sizes[g - 1], error: 0, cancelled: 0 },
                condition: { condition: 'THRESHOLD', expression: 100 },
              },
      }),
    );
    for (let first = 0; first < size; first += chunk) {
      const members = Array.from({ length: Math.min(chunk, size - first) }, (_, i) => first + i);
      history.action.push(
        item('ActionsScheduled.v1', {
          rolloutId,
          groupId,
          count: members.length,
          scheduledAt: start,
          actions: members.map((m) => ({ actionId: groupId * 100_000 + m, targetId: m, controllerId: `dev-${m}` })),
        }),
      );
    }
    const change = (m: number, from: string, to: string, when: number) =>
      item('ActionStatusChanged.v1', {
        actionId: groupId * 100_000 + m,
        rolloutId,
        groupId,
        targetId: m,
        controllerId: `dev-${m}`,
        from,
        to,
        at: when,
        ...(to === 'error' ? { messages: ['disk full'], code: 28 } : {}),
      });
    for (let m = 0; m < size; m++) history.action.push(change(m, 'scheduled', 'running', start + 10 * m));
    for (let m = 0; m < size; m++) {
      history.action.push(change(m, 'running', m % 20 === 19 ? 'error' : 'finished', start + 2_000 + 37 * m));
    }
    at = start + 2_000 + 37 * size + 50;
    history.group.push(
      item('RolloutGroupFinished.v1', {
        rolloutId,
        groupId,
        index,
        finishedAt: at,
        total: size,
        finished: size - Math.floor(size / 20),
        error: Math.floor(size / 20),
        cancelled: 0,
      }),
    );
  });
  if (finished) history.rollout.push(item('RolloutFinished.v1', { rolloutId, finishedAt: at + 10 }));
  return history;
}
