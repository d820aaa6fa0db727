import { Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import type { Pool } from 'pg';
import { bootstrapService, createPool, readPlatformConfig, withTransaction } from '@fleetwave/platform';
import { eventually, testDatabaseUrl, uniqueName } from '@fleetwave/testing';
import { RolloutChangesController } from './rollout-changes.controller';
import { RolloutChangesHub } from './rollout-changes.hub';
import { notifyRolloutsChanged } from './rollout-changes.notify';

@Module({})
class FeedModule {}

const feedModule = (hub: RolloutChangesHub): DynamicModule => ({
  module: FeedModule,
  controllers: [RolloutChangesController],
  providers: [{ provide: RolloutChangesHub, useValue: hub }],
});

describe('rollout change feed (Postgres LISTEN/NOTIFY to server-sent events)', () => {
  // Notifications go to a channel named after the schema: a fresh name keeps other runs out.
  const schema = uniqueName('watch');
  let pool: Pool;
  let hub: RolloutChangesHub;
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    pool = createPool(testDatabaseUrl(), 'rollout-changes-test', 2);
    hub = new RolloutChangesHub(testDatabaseUrl(), schema);
    app = await bootstrapService(feedModule(hub), {
      ...readPlatformConfig('rollout-changes-test', 1, {}),
      httpPort: 0,
    });
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app.close();
    await hub.onApplicationShutdown();
    await pool.end();
  });

  it('tells a watcher of each committed change of its rollout, and of nothing else', async () => {
    const seen: string[] = [];
    const stop7 = await hub.watch(7, () => seen.push('7'));
    const stop8 = await hub.watch(8, () => seen.push('8'));
    // Opening the connection tells the watchers there is something to read (nothing was heard before).
    seen.length = 0;
    await withTransaction(pool, async (tx) => {
      await notifyRolloutsChanged(tx, schema, [7, 7, 9]);
      // Not committed yet: nobody hears of it.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(seen).toEqual([]);
    });
    await eventually(() => expect(seen).toEqual(['7']), { description: 'notification of rollout 7' });
    await withTransaction(pool, async (tx) => {
      await notifyRolloutsChanged(tx, schema, [8]);
      throw new Error('rolled back');
    }).catch(() => undefined);
    await withTransaction(pool, (tx) => notifyRolloutsChanged(tx, schema, [8]));
    await eventually(() => expect(seen).toEqual(['7', '8']), { description: 'notification of rollout 8 only once' });
    await stop7();
    await stop8();
  });

  it('splits a long list of ids over several notifications, losing none', async () => {
    const ids = Array.from({ length: 3_000 }, (_, i) => 1_000_000 + i);
    const heard = new Set<number>();
    const stops = await Promise.all([ids[0], ids[1_500], ids[2_999]].map((id) => hub.watch(id, () => heard.add(id))));
    await withTransaction(pool, (tx) => notifyRolloutsChanged(tx, schema, ids));
    await eventually(() => expect([...heard].sort()).toEqual([ids[0], ids[1_500], ids[2_999]]), {
      description: 'every watched id heard',
    });
    await Promise.all(stops.map((stop) => stop()));
  });

  it('streams ready, then changed after each commit touching the rollout', async () => {
    const aborter = new AbortController();
    const response = await fetch(`${baseUrl}/internal/rollouts/42/changes`, { signal: aborter.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (events: number) => {
      while ((text.match(/^event: /gm) ?? []).length < events) {
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        text += decoder.decode(value, { stream: true });
      }
    };
    try {
      await readUntil(1);
      expect(text).toContain('event: ready');
      await withTransaction(pool, (tx) => notifyRolloutsChanged(tx, schema, [41]));
      await withTransaction(pool, (tx) => notifyRolloutsChanged(tx, schema, [42]));
      await readUntil(2);
      expect(text.match(/^event: \w+$/gm)).toEqual(['event: ready', 'event: changed']);
      expect(text).toContain('data: {"rolloutId":42}');
    } finally {
      aborter.abort();
    }
  });

  it('refuses an id that is not one', async () => {
    const response = await fetch(`${baseUrl}/internal/rollouts/abc/changes`);
    expect(response.status).toBe(400);
  });
});
