import type { PoolClient } from 'pg';
import { DeadLetterError, type BatchContext, type BatchItem, type BatchResult } from '@fleetwave/messaging';
import type { Envelope } from '@fleetwave/service-kit';
import { item } from '../rollout-progress/testing/progress-events.fixture';
import {
  composeProjections,
  readModelTopics,
  reportingProjections,
  type ReportingProjection,
} from './reporting-projections';

/** A projection that records what it is handed and answers as told. */
function recording(name: string, types: string[], answer: (items: BatchItem<Envelope>[]) => BatchResult | void) {
  const seen: string[][] = [];
  const projection: ReportingProjection = {
    name,
    types,
    tables: [`${name}_rows`],
    create: () => ({
      handleBatch: async (items) => {
        seen.push(items.map((i) => i.message.type));
        return answer(items);
      },
    }),
  };
  return { projection, seen };
}

const context: BatchContext = { topic: 'rollout.events.v1', partition: 0, tx: {} as PoolClient };

describe('reporting projections composed into one consumer', () => {
  const created = item('RolloutCreated.v1', { rolloutId: 1 });
  const started = item('RolloutStarted.v1', { rolloutId: 1 });
  const changed = item('ActionStatusChanged.v1', { rolloutId: 1 });

  it('hands each projection only the items of its types, in batch order', async () => {
    const a = recording('a', ['RolloutCreated.v1', 'ActionStatusChanged.v1'], () => undefined);
    const b = recording('b', ['RolloutStarted.v1', 'RolloutCreated.v1'], () => undefined);
    const composed = composeProjections([a.projection, b.projection]);

    const result = await composed.handleBatch([created, started, changed], context);

    expect(a.seen).toEqual([['RolloutCreated.v1', 'ActionStatusChanged.v1']]);
    expect(b.seen).toEqual([['RolloutCreated.v1', 'RolloutStarted.v1']]);
    expect(result).toEqual({ ignored: [] });
    expect(composed.types.sort()).toEqual(['ActionStatusChanged.v1', 'RolloutCreated.v1', 'RolloutStarted.v1']);
  });

  it('reports an item ignored only when every projection it went to ignored it', async () => {
    const a = recording('a', ['RolloutCreated.v1', 'RolloutStarted.v1'], (items) => ({
      ignored: items.map((i) => i.context.messageId),
    }));
    const b = recording('b', ['RolloutStarted.v1'], () => undefined);
    const composed = composeProjections([a.projection, b.projection]);

    const result = await composed.handleBatch([created, started], context);

    expect(result).toEqual({ ignored: [created.context.messageId] });
  });

  it('fails the batch with a permanent error naming the projection when one refuses an item', async () => {
    const a = recording('a', ['RolloutCreated.v1'], (items) => ({
      rejected: [{ messageId: items[0].context.messageId, reason: 'no such rollout' }],
    }));
    const b = recording('b', ['RolloutCreated.v1'], () => undefined);
    const composed = composeProjections([a.projection, b.projection]);

    const failure = composed.handleBatch([created], context);

    await expect(failure).rejects.toBeInstanceOf(DeadLetterError);
    await expect(failure).rejects.toThrow(`a: no such rollout (message ${created.context.messageId})`);
    expect(b.seen).toEqual([]);
  });

  it("reads only the read model's topics, and no two projections share a table", () => {
    const tables = reportingProjections.flatMap((p) => p.tables);
    expect(new Set(tables).size).toBe(tables.length);
    expect(readModelTopics).toEqual(['rollout.events.v1', 'rollout-group.events.v1', 'action.events.v1']);
  });
});
