import { CLOUD_EVENTS_BATCH_CONTENT_TYPE, toCloudEventBatchEntry } from '@fleetwave/contracts';
import type { TopicRecord } from '@fleetwave/testing';
import { emptyObservations, observeActionEvent } from './observations';

const change = (rolloutId: number, actionId: number, to: string) => ({
  type: 'ActionStatusChanged.v1',
  data: { rolloutId, actionId, groupId: 5, to },
  metadata: {},
});
const record = (value: unknown, headers: Record<string, string> = {}): TopicRecord => ({
  partition: 0,
  offset: 0n,
  timestamp: 1_000,
  key: '1',
  value: JSON.stringify(value),
  headers,
});
const attributes = (id: string) => ({ id, type: 'ActionStatusChanged.v1', source: 's', time: 't' });

describe('observeActionEvent', () => {
  it("takes the run's status changes from a record of one event and from a batch record", () => {
    const into = emptyObservations();

    observeActionEvent(into, record(change(1, 10, 'running')), 1);
    observeActionEvent(
      into,
      record(
        [
          toCloudEventBatchEntry(attributes('a'), change(1, 11, 'running')),
          toCloudEventBatchEntry(attributes('b'), change(2, 12, 'running')),
          toCloudEventBatchEntry(attributes('c'), change(1, 10, 'finished')),
        ],
        { 'content-type': CLOUD_EVENTS_BATCH_CONTENT_TYPE },
      ),
      1,
    );

    expect(into.changes).toEqual([
      { actionId: 10, groupId: 5, to: 'running', at: 1_000 },
      { actionId: 11, groupId: 5, to: 'running', at: 1_000 },
      { actionId: 10, groupId: 5, to: 'finished', at: 1_000 },
    ]);
  });
});
