import { Pool } from 'pg';
import type { DeviceInboundMessage } from '@fleetwave/contracts';
import type { BatchItem, BatchResult } from '@fleetwave/messaging';
import { migrateSchema, withTransaction } from '@fleetwave/platform';
import { testDatabaseUrl, uniqueName } from '@fleetwave/testing';
import { inventoryMigrationFor } from '../../inventory/inventory.migration';
import { DeviceRegistrationConsumer } from './device-registration.consumer';

type Message = DeviceInboundMessage | null;

const item = (message: Message, offset: number): BatchItem<Message> => ({
  message,
  context: {
    topic: 'device.inbound.v1',
    partition: 0,
    offset: String(offset),
    key: message?.controllerId ?? null,
    headers: {},
    messageId: `device.inbound.v1:0:${offset}`,
  },
});

/** A small deterministic generator, so the mixed sequence is the same on every run. */
function* numbers(seed: number): Generator<number> {
  let state = seed;
  for (;;) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    yield state;
  }
}

describe('device registration as a batch (Postgres)', () => {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 4 });
  const schema = uniqueName('registration');
  const consumer = new DeviceRegistrationConsumer(schema);

  const apply = (messages: Message[], firstOffset = 0): Promise<BatchResult> =>
    withTransaction(pool, (tx) =>
      consumer.handleBatch(
        messages.map((m, i) => item(m, firstOffset + i)),
        { topic: 'device.inbound.v1', partition: 0, tx },
      ),
    );

  const targets = async (prefix: string) => {
    const { rows } = await pool.query<{ controller_id: string; name: string; attributes: Record<string, string> }>(
      `select controller_id, name, attributes from ${schema}.targets where controller_id like $1 || '%' order by controller_id`,
      [prefix],
    );
    return rows;
  };

  beforeAll(() => migrateSchema(pool, inventoryMigrationFor(schema)));
  afterAll(async () => {
    await pool.query(`drop schema if exists ${schema} cascade`);
    await pool.end();
  });

  it('registers thousands of devices in one batch, a repeated device once with the last name and merged attributes', async () => {
    const messages: Message[] = Array.from({ length: 5_000 }, (_, i) => ({
      type: 'THING_CREATED' as const,
      controllerId: `fleet-${i}`,
      name: `Device ${i}`,
      attributes: { hw: 'rev1' },
    }));
    messages.push({ type: 'THING_CREATED', controllerId: 'fleet-7', name: 'Renamed', attributes: { sw: '2' } });
    messages.push({ type: 'THING_CREATED', controllerId: 'fleet-8', attributes: { hw: 'rev2' } });

    const result = await apply(messages);

    expect(result.ignored).toEqual([]);
    const rows = await targets('fleet-');
    expect(rows).toHaveLength(5_000);
    const byId = new Map(rows.map((r) => [r.controller_id, r]));
    expect(byId.get('fleet-7')).toMatchObject({ name: 'Renamed', attributes: { hw: 'rev1', sw: '2' } });
    expect(byId.get('fleet-8')).toMatchObject({ name: 'Device 8', attributes: { hw: 'rev2' } });
    expect(byId.get('fleet-9')).toMatchObject({ name: 'Device 9', attributes: { hw: 'rev1' } });
  });

  it('refreshes a known device: keeps its name unless given one, merges attributes', async () => {
    await pool.query(
      `insert into ${schema}.targets (controller_id, name, attributes) values ('known-1', 'Kept', '{"a":"1"}'), ('known-2', 'Old', '{}')`,
    );
    await apply([
      { type: 'THING_CREATED', controllerId: 'known-1', attributes: { b: '2' } },
      { type: 'THING_CREATED', controllerId: 'known-2', name: 'New' },
    ]);
    expect(await targets('known-')).toEqual([
      { controller_id: 'known-1', name: 'Kept', attributes: { a: '1', b: '2' } },
      { controller_id: 'known-2', name: 'New', attributes: {} },
    ]);
  });

  it('applies creations and attribute updates of a device in Kafka order', async () => {
    const result = await apply([
      { type: 'UPDATE_ATTRIBUTES', controllerId: 'order-1', attributes: { early: 'x' } },
      { type: 'THING_CREATED', controllerId: 'order-1', attributes: { hw: '1' } },
      { type: 'UPDATE_ATTRIBUTES', controllerId: 'order-1', attributes: { sw: '2' }, mode: 'replace' },
      { type: 'THING_CREATED', controllerId: 'order-1', attributes: { hw: '3' } },
      { type: 'UPDATE_ATTRIBUTES', controllerId: 'order-1', attributes: { sw: '' }, mode: 'remove' },
      null,
    ]);
    // The update before the device existed had no effect, nor had the message that is not device input.
    expect(result.ignored?.sort()).toEqual(['device.inbound.v1:0:0', 'device.inbound.v1:0:5']);
    expect(await targets('order-1')).toEqual([{ controller_id: 'order-1', name: 'order-1', attributes: { hw: '3' } }]);
  });

  it('ends in the same state as applying the messages one at a time', async () => {
    const random = numbers(42);
    const pick = (n: number): number => random.next().value % n;
    const sequence: ((prefix: string) => DeviceInboundMessage)[] = Array.from({ length: 600 }, () => {
      const device = pick(25);
      const key = ['a', 'b', 'c', 'd'][pick(4)];
      const value = String(pick(100));
      const kind = pick(5);
      if (kind === 0) {
        const name = pick(2) === 0 ? `name-${value}` : undefined;
        return (prefix) => ({
          type: 'THING_CREATED',
          controllerId: `${prefix}${device}`,
          name,
          attributes: { [key]: value },
        });
      }
      const mode = (['merge', 'replace', 'remove'] as const)[pick(3)];
      return (prefix) => ({
        type: 'UPDATE_ATTRIBUTES',
        controllerId: `${prefix}${device}`,
        attributes: { [key]: value },
        mode,
      });
    });

    const batch = await apply(sequence.map((make) => make('batch-')));
    let singlyIgnored = 0;
    for (const [i, make] of sequence.entries()) {
      const single = await apply([make('single-')], i);
      singlyIgnored += single.ignored?.length ?? 0;
    }

    const strip = (rows: Awaited<ReturnType<typeof targets>>, prefix: string) =>
      rows.map((r) => ({
        ...r,
        controller_id: r.controller_id.slice(prefix.length),
        name: r.name.replace(prefix, ''),
      }));
    const batched = strip(await targets('batch-'), 'batch-');
    expect(batched.length).toBeGreaterThan(10);
    expect(batched).toEqual(strip(await targets('single-'), 'single-'));
    expect(batch.ignored?.length).toBe(singlyIgnored);
  });
});
