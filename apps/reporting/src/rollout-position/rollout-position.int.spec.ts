import { Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import type { Pool } from 'pg';
import type { BatchItem } from '@fleetwave/messaging';
import { bootstrapService, createPool, readPlatformConfig, withTransaction } from '@fleetwave/platform';
import { testDatabaseUrl, uniqueName } from '@fleetwave/testing';
import { RolloutChangesHub } from '../rollout-watch/rollout-changes.hub';
import { RolloutPositionController } from './rollout-position.controller';
import { rolloutPositionsMigration } from './rollout-position.migration';
import { recordPositions, RolloutPositions } from './rollout-position.projection';

/** A consumed event as the relay publishes it: subject = its stream, with the stream revision. */
const relayed = (stream: string, revision: number | undefined, n: number): BatchItem<unknown> => ({
  message: {},
  context: {
    topic: 'rollout.events.v1',
    partition: 0,
    offset: String(n),
    key: null,
    headers: {},
    messageId: `m-${stream}-${n}`,
    cloudEvent: {
      id: `m-${n}`,
      type: 'RolloutPaused.v1',
      source: 'test',
      time: '',
      subject: stream,
      streamRevision: revision,
    },
  },
});

@Module({})
class PositionModule {}

describe('rollout positions (how far the read model has projected each rollout stream)', () => {
  const schema = uniqueName('position');
  let pool: Pool;
  let hub: RolloutChangesHub;
  let positions: RolloutPositions;
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    pool = createPool(testDatabaseUrl(), 'rollout-position-test', 3);
    await pool.query(`create schema ${schema}`);
    await pool.query(rolloutPositionsMigration(schema).up as string);
    hub = new RolloutChangesHub(testDatabaseUrl(), schema);
    positions = new RolloutPositions((sql, params) => pool.query(sql, params).then((r) => r.rows), schema);
    const module: DynamicModule = {
      module: PositionModule,
      controllers: [RolloutPositionController],
      providers: [
        { provide: RolloutChangesHub, useValue: hub },
        { provide: RolloutPositions, useValue: positions },
      ],
    };
    app = await bootstrapService(module, { ...readPlatformConfig('rollout-position-test', 1, {}), httpPort: 0 });
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/internal/rollouts`;
  });
  afterAll(async () => {
    await app.close();
    await hub.onApplicationShutdown();
    await pool.query(`drop schema ${schema} cascade`);
    await pool.end();
  });

  const record = (items: BatchItem<unknown>[]) => withTransaction(pool, (tx) => recordPositions(tx, schema, items));

  it('keeps the highest revision of each rollout stream, never going back', async () => {
    await record([
      relayed('rollout-41', 0, 1),
      relayed('rollout-41', 2, 2),
      relayed('rollout-41-membership', 9, 3),
      relayed('rollout-42', 5, 4),
      relayed('rollout-43', undefined, 5),
    ]);
    expect([await positions.revision(41), await positions.revision(42), await positions.revision(43)]).toEqual([
      2, 5, -1,
    ]);
    // A redelivered, older batch moves nothing.
    await record([relayed('rollout-41', 1, 6)]);
    expect(await positions.revision(41)).toBe(2);
  });

  it('answers at once when the position is reached, and waits for a commit that reaches it', async () => {
    await record([relayed('rollout-50', 3, 1)]);
    const now = await fetch(`${base}/50/position?atLeast=3`);
    expect(await now.json()).toEqual({ rolloutId: 50, revision: 3, reached: true });

    const waiting = fetch(`${base}/50/position?atLeast=4&timeoutMs=8000`).then((r) => r.json());
    await new Promise((resolve) => setTimeout(resolve, 300));
    await record([relayed('rollout-50', 4, 2)]);
    expect(await waiting).toEqual({ rolloutId: 50, revision: 4, reached: true });
  });

  it('gives up after the bound with what it has, and refuses a malformed position', async () => {
    const late = await fetch(`${base}/51/position?atLeast=0&timeoutMs=200`);
    expect(await late.json()).toEqual({ rolloutId: 51, revision: -1, reached: false });
    const bad = await fetch(`${base}/51/position?atLeast=-1`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ errorCode: 'hawkbit.server.error.rest.param.invalid' });
  });
});
