import { Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import type { Pool } from 'pg';
import { bootstrapService, createPool, readPlatformConfig, withTransaction } from '@fleetwave/platform';
import { eventually, testDatabaseUrl, uniqueName } from '@fleetwave/testing';
import { RolloutChangesHub } from './rollout-changes.hub';
import { RolloutListChangesController } from './rollout-list-changes.controller';
import { notifyRolloutsChanged } from './rollout-changes.notify';

@Module({})
class ListFeedModule {}

const listFeedModule = (hub: RolloutChangesHub): DynamicModule => ({
  module: ListFeedModule,
  controllers: [RolloutListChangesController],
  providers: [{ provide: RolloutChangesHub, useValue: hub }],
});

describe('rollout list change feed (Postgres LISTEN/NOTIFY to server-sent events)', () => {
  const schema = uniqueName('listwatch');
  let pool: Pool;
  let hub: RolloutChangesHub;
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    pool = createPool(testDatabaseUrl(), 'rollout-list-changes-test', 2);
    hub = new RolloutChangesHub(testDatabaseUrl(), schema);
    app = await bootstrapService(listFeedModule(hub), {
      ...readPlatformConfig('rollout-list-changes-test', 1, {}),
      httpPort: 0,
    });
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app.close();
    await hub.onApplicationShutdown();
    await pool.end();
  });

  it('streams ready, then the ids of every rollout changed by committed transactions only', async () => {
    const aborter = new AbortController();
    const response = await fetch(`${baseUrl}/internal/rollouts/changes`, { signal: aborter.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const heard = new Set<number>();
    const readUntil = async (done: () => boolean) => {
      while (!done()) {
        const { value, done: ended } = await reader.read();
        if (ended) throw new Error('stream ended');
        text += decoder.decode(value, { stream: true });
        for (const [, data] of text.matchAll(/^data: (.*)$/gm)) {
          const ids = (JSON.parse(data) as { rolloutIds?: number[] | null }).rolloutIds;
          for (const id of ids ?? []) heard.add(id);
        }
      }
    };
    try {
      await readUntil(() => text.includes('event: ready'));
      await withTransaction(pool, async (tx) => {
        await notifyRolloutsChanged(tx, schema, [11, 12]);
        throw new Error('rolled back');
      }).catch(() => undefined);
      await withTransaction(pool, (tx) => notifyRolloutsChanged(tx, schema, [21, 22]));
      await withTransaction(pool, (tx) => notifyRolloutsChanged(tx, schema, [22, 23]));
      await readUntil(() => heard.has(21) && heard.has(22) && heard.has(23));
      expect([...heard].sort()).toEqual([21, 22, 23]);
    } finally {
      aborter.abort();
    }
  });

  it('keeps listening while a rollout watcher comes and goes', async () => {
    const heard: (ReadonlySet<number> | undefined)[] = [];
    const stopAll = await hub.watchAll((ids) => heard.push(ids));
    const stopOne = await hub.watch(31, () => undefined);
    await stopOne();
    heard.length = 0;
    await withTransaction(pool, (tx) => notifyRolloutsChanged(tx, schema, [32]));
    await eventually(() => expect(heard.some((ids) => ids?.has(32))).toBe(true), {
      description: 'the list watcher hears rollout 32',
    });
    await stopAll();
  });
});
