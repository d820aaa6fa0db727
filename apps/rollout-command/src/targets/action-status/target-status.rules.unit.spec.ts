import type { ActionStatus, ActionStatusChangedV1 } from '@fleetwave/contracts';
import {
  applyActionChange,
  foldTargetStatuses,
  isSettling,
  type RolloutFacts,
  type TargetStatus,
} from './target-status.rules';

/**
 * Rollout 1 rolls out set 11, rollout 2 set 22, rollout 3 (download only) set 33; actions 100+
 * belong to rollout 1, 200+ to rollout 2, 300+ to rollout 3.
 */
const facts: Record<number, RolloutFacts> = {
  1: { distributionSetId: 11, downloadOnly: false },
  2: { distributionSetId: 22, downloadOnly: false },
  3: { distributionSetId: 33, downloadOnly: true },
};
const setOf = (rolloutId: number): RolloutFacts | undefined => facts[rolloutId];

const target = (overrides: Partial<TargetStatus> = {}): TargetStatus => ({
  targetId: 7,
  updateStatus: 'registered',
  assignedDsId: null,
  installedDsId: null,
  statusActionId: null,
  statusActionAt: null,
  installedActionId: null,
  installedActionAt: null,
  contacted: true,
  ...overrides,
});

const change = (actionId: number, from: ActionStatus, to: ActionStatus, at: number): ActionStatusChangedV1 => ({
  actionId,
  rolloutId: Math.floor(actionId / 100),
  groupId: 1,
  targetId: 7,
  controllerId: 'dev-7',
  from,
  to,
  at,
});

const fold = (start: TargetStatus, changes: ActionStatusChangedV1[]): TargetStatus =>
  foldTargetStatuses([start], changes, setOf)[0] ?? start;

/** Every merge of two sequences that keeps each one's own order (two Kafka partitions read in any pace). */
function interleavings<T>(a: T[], b: T[]): T[][] {
  if (a.length === 0) return [b];
  if (b.length === 0) return [a];
  return [
    ...interleavings(a.slice(1), b).map((rest) => [a[0], ...rest]),
    ...interleavings(a, b.slice(1)).map((rest) => [b[0], ...rest]),
  ];
}

describe('target status from action status changes', () => {
  it('is pending with the rollout’s set assigned while the action runs, then in_sync with it installed', () => {
    const running = fold(target(), [change(100, 'scheduled', 'running', 10), change(100, 'running', 'download', 11)]);
    expect(running).toEqual(
      target({ updateStatus: 'pending', assignedDsId: 11, statusActionId: 100, statusActionAt: 10 }),
    );
    const finished = applyActionChange(running, change(100, 'download', 'finished', 12), setOf);
    expect(finished).toEqual({
      ...running,
      updateStatus: 'in_sync',
      installedDsId: 11,
      installedActionId: 100,
      installedActionAt: 12,
    });
    // A final action stays final: a late or repeated earlier event changes nothing.
    expect(applyActionChange(finished, change(100, 'scheduled', 'running', 10), setOf)).toEqual(finished);
    expect(applyActionChange(finished, change(100, 'download', 'finished', 12), setOf)).toEqual(finished);
  });

  it('is error when the action failed, keeping the failed set assigned and nothing new installed', () => {
    const failed = fold(target({ installedDsId: 5 }), [
      change(100, 'scheduled', 'running', 10),
      change(100, 'running', 'error', 11),
    ]);
    expect(failed).toMatchObject({ updateStatus: 'error', assignedDsId: 11, installedDsId: 5 });
  });

  it('returns a cancelled target to its installed set, or to registered / unknown with nothing installed', () => {
    const cancel = [
      change(100, 'scheduled', 'running', 10),
      change(100, 'running', 'canceling', 11),
      change(100, 'canceling', 'canceled', 12),
    ];
    expect(fold(target({ installedDsId: 5 }), cancel)).toMatchObject({ updateStatus: 'in_sync', assignedDsId: 5 });
    expect(fold(target(), cancel)).toMatchObject({ updateStatus: 'registered', assignedDsId: null });
    expect(fold(target({ contacted: false, updateStatus: 'unknown' }), cancel)).toMatchObject({
      updateStatus: 'unknown',
      assignedDsId: null,
    });
  });

  it('gives the same result however a newer rollout’s takeover interleaves with the older one’s cancellation', () => {
    // Rollout 1's action runs; rollout 2 activates on the target at 20, which cancels rollout 1's
    // action; its device still reports a download before confirming the cancellation.
    const older = [
      change(100, 'scheduled', 'running', 10),
      change(100, 'running', 'download', 21),
      change(100, 'download', 'canceling', 22),
      change(100, 'canceling', 'canceled', 30),
    ];
    const newer = [change(200, 'scheduled', 'running', 20), change(200, 'running', 'retrieved', 25)];
    const orders = interleavings(older, newer);
    expect(orders.length).toBe(15);
    const results = orders.map((order) => fold(target({ installedDsId: 5 }), order));
    for (const result of results) {
      expect(result).toEqual(
        target({
          updateStatus: 'pending',
          installedDsId: 5,
          assignedDsId: 22,
          statusActionId: 200,
          statusActionAt: 20,
        }),
      );
    }
  });

  it('moves the installed set forward only, whichever rollout’s finish is read first', () => {
    // Rollout 1's device finished while being cancelled (at 24); rollout 2's finished later (at 40).
    const older = [change(100, 'scheduled', 'running', 10), change(100, 'canceling', 'finished', 24)];
    const newer = [change(200, 'scheduled', 'running', 20), change(200, 'running', 'finished', 40)];
    for (const order of interleavings(older, newer)) {
      expect(fold(target(), order)).toMatchObject({
        updateStatus: 'in_sync',
        assignedDsId: 22,
        installedDsId: 22,
        installedActionId: 200,
        installedActionAt: 40,
      });
    }
  });

  it('is in_sync once a download-only action has downloaded, with its set assigned and nothing installed', () => {
    const downloaded = fold(target({ installedDsId: 5 }), [
      change(300, 'scheduled', 'download', 10),
      change(300, 'download', 'downloaded', 11),
    ]);
    expect(downloaded).toMatchObject({ updateStatus: 'in_sync', assignedDsId: 33, installedDsId: 5 });
    // For any other action type, downloaded is a step on the way.
    expect(
      fold(target(), [change(100, 'scheduled', 'download', 10), change(100, 'download', 'downloaded', 11)]),
    ).toMatchObject({ updateStatus: 'pending', assignedDsId: 11 });
  });

  it('breaks a tie in event time by action id', () => {
    const a = change(100, 'scheduled', 'running', 10);
    const b = change(200, 'scheduled', 'running', 10);
    expect(fold(target(), [a, b])).toMatchObject({ statusActionId: 200, assignedDsId: 22 });
    expect(fold(target(), [b, a])).toMatchObject({ statusActionId: 200, assignedDsId: 22 });
  });

  it('follows an action first heard of after its activation until any activation takes over', () => {
    const late = fold(target(), [change(100, 'running', 'download', 50)]);
    expect(late).toMatchObject({ updateStatus: 'pending', statusActionId: 100, statusActionAt: null });
    // An activation with an earlier time still outranks it.
    expect(applyActionChange(late, change(200, 'scheduled', 'running', 20), setOf)).toMatchObject({
      statusActionId: 200,
      statusActionAt: 20,
      assignedDsId: 22,
    });
  });

  it('leaves status and assigned set alone for a rollout whose set is unknown, except what the action says', () => {
    const gone = { ...change(100, 'scheduled', 'running', 10), rolloutId: 9 };
    expect(fold(target({ assignedDsId: 5 }), [gone])).toMatchObject({ updateStatus: 'pending', assignedDsId: 5 });
  });

  it('reports only the targets that changed, and skips targets not in the inventory', () => {
    const a = target({ targetId: 1 });
    const b = target({ targetId: 2, updateStatus: 'error', statusActionId: 100, statusActionAt: 10 });
    const changes = [
      { ...change(100, 'scheduled', 'running', 10), targetId: 1 },
      { ...change(100, 'running', 'error', 11), targetId: 2 },
      { ...change(100, 'scheduled', 'running', 10), targetId: 3 },
    ];
    expect(foldTargetStatuses([a, b], changes, setOf).map((t) => t.targetId)).toEqual([1]);
  });

  it('tells the changes that settle an action', () => {
    expect(isSettling(change(100, 'running', 'error', 1))).toBe(true);
    expect(isSettling(change(100, 'canceling', 'finished', 1))).toBe(true);
    expect(isSettling(change(100, 'scheduled', 'running', 1))).toBe(false);
  });
});
