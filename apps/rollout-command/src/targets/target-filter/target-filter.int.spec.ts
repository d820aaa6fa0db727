import { testDatabaseUrl, uniqueName } from '@fleetwave/testing';
import { Client } from 'pg';
import { compileTargetFilter, TargetFilterSyntaxError } from './index';

/** 2023-11-14T22:13:20.000Z as epoch milliseconds. */
const BASE = 1_700_000_000_000;
const at = (millis: number): Date => new Date(millis);

interface TargetRow {
  controllerId: string;
  name: string | null;
  updateStatus: string;
  attributes: Record<string, string>;
  targetType: string | null;
  tags: string[] | null;
  assigned: [string, string] | null;
  installed: [string, string] | null;
  lastRequest: Date | null;
  metadata: Record<string, string>;
}

const row = (controllerId: string, fields: Partial<TargetRow>): TargetRow => ({
  controllerId,
  name: null,
  updateStatus: 'unknown',
  attributes: {},
  targetType: null,
  tags: null,
  assigned: null,
  installed: null,
  lastRequest: null,
  metadata: {},
  ...fields,
});

const TARGETS: TargetRow[] = [
  row('dev-001', {
    name: 'Device One',
    updateStatus: 'in_sync',
    attributes: { hw: 'rev1', region: 'EU' },
    targetType: 'gateway',
    tags: ['prod', 'EU'],
    assigned: ['fw', '1.0'],
    installed: ['fw', '1.0'],
    lastRequest: at(BASE + 5_000),
    metadata: { owner: 'Alice' },
  }),
  row('dev-002', {
    name: 'device two',
    updateStatus: 'pending',
    attributes: { hw: 'rev2' },
    targetType: 'sensor',
    tags: ['prod'],
    assigned: ['fw', '2.0'],
    installed: ['fw', '1.0'],
    lastRequest: at(BASE + 10_000),
  }),
  row('dev-003', { updateStatus: 'error', tags: [], assigned: ['fw', '2.0'] }),
  row('DEV-004', {
    name: 'DEVICE four',
    updateStatus: 'registered',
    targetType: 'Sensor',
    attributes: { region: 'us' },
  }),
  row('lab_1', { name: '50% off', tags: ['lab'], metadata: { owner: 'bob' } }),
  row('lab21', { name: '500 units', tags: ['lab', 'eu'], installed: ['os', '7'] }),
  row('gw-7', { name: "O'Brien", updateStatus: 'in_sync', targetType: 'gateway', lastRequest: at(BASE - 1) }),
  row('sensor-8', { name: 'Sensor 8', updateStatus: 'pending', attributes: { hw: 'REV1' }, targetType: 'sensor' }),
  row('sensor-9', { name: 'x', attributes: { region: 'EU' }, assigned: ['os', '7'] }),
  row('sensor-10', { name: 'under_score', tags: ['prod'], lastRequest: at(BASE + 20_000) }),
];

/** Only dev-001 is created at a sub-millisecond instant (…20.123456Z); row i is created at BASE + i minutes. */
const createdAt = (index: number): string =>
  index === 0 ? '2023-11-14T22:13:20.123456Z' : new Date(BASE + index * 60_000).toISOString();

describe('target filter against Postgres', () => {
  const client = new Client({ connectionString: testDatabaseUrl() });
  const schema = uniqueName('target_filter');

  beforeAll(async () => {
    await client.connect();
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(`SET search_path TO ${schema}`);
    await client.query(`
      CREATE TABLE targets (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        controller_id text NOT NULL UNIQUE,
        name text,
        description text,
        created_at timestamptz NOT NULL,
        last_modified_at timestamptz NOT NULL,
        update_status text NOT NULL,
        attributes jsonb NOT NULL DEFAULT '{}',
        target_type text,
        tags text[],
        assigned_ds_name text,
        assigned_ds_version text,
        installed_ds_name text,
        installed_ds_version text,
        last_controller_request_at timestamptz,
        metadata jsonb NOT NULL DEFAULT '{}'
      )`);
    // The tag names the targets carry, as the inventory keeps them (the indexed tag test looks them up).
    await client.query(`CREATE TABLE target_tags (name text NOT NULL UNIQUE)`);
    await client.query(`INSERT INTO target_tags (name) VALUES ('prod'), ('EU'), ('lab'), ('eu')`);
    for (const [index, target] of TARGETS.entries()) {
      await client.query(
        `INSERT INTO targets (controller_id, name, description, created_at, last_modified_at, update_status,
           attributes, target_type, tags, assigned_ds_name, assigned_ds_version, installed_ds_name,
           installed_ds_version, last_controller_request_at, metadata)
         VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
        [
          target.controllerId,
          target.name,
          target.name === null ? null : `description of ${target.name}`,
          createdAt(index),
          target.updateStatus,
          JSON.stringify(target.attributes),
          target.targetType,
          target.tags,
          target.assigned?.[0] ?? null,
          target.assigned?.[1] ?? null,
          target.installed?.[0] ?? null,
          target.installed?.[1] ?? null,
          target.lastRequest,
          JSON.stringify(target.metadata),
        ],
      );
    }
  });

  afterAll(async () => {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  /** Code-point order, independent of the database's collation. */
  const sorted = (...ids: string[]): string[] => [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  const matching = async (query: string): Promise<string[]> => {
    const { where, params } = compileTargetFilter(query);
    const result = await client.query<{ controller_id: string }>(
      `SELECT t.controller_id FROM targets t WHERE ${where}`,
      params,
    );
    return sorted(...result.rows.map((found) => found.controller_id));
  };

  it.each<[string, string[]]>([
    ['name==device*', ['dev-001', 'dev-002', 'DEV-004']],
    ['name!=device*', ['dev-003', 'lab_1', 'lab21', 'gw-7', 'sensor-8', 'sensor-9', 'sensor-10']],
    ['id==lab_*', ['lab_1']],
    ['name==50%*', ['lab_1']],
    ['name==*_*', ['sensor-10']],
    [`name=="o'brien"`, ['gw-7']],
    ['ControllerId=in=(dev-004,GW-7,nope)', ['DEV-004', 'gw-7']],
    ['tag==prod;updatestatus==IN_SYNC', ['dev-001']],
    ['tag!=prod', ['dev-003', 'DEV-004', 'lab_1', 'lab21', 'gw-7', 'sensor-8', 'sensor-9']],
    ['tag=in=(eu,nope)', ['dev-001', 'lab21']],
    ['attribute.hw==rev1 or type==sensor', ['dev-001', 'dev-002', 'DEV-004', 'sensor-8']],
    ['attribute.region!=eu', ['dev-002', 'dev-003', 'DEV-004', 'lab_1', 'lab21', 'gw-7', 'sensor-8', 'sensor-10']],
    [
      'metadata.owner=out=(alice)',
      ['dev-002', 'dev-003', 'DEV-004', 'lab_1', 'lab21', 'gw-7', 'sensor-8', 'sensor-9', 'sensor-10'],
    ],
    ['(updatestatus==pending,updatestatus==error);assignedds.name==fw', ['dev-002', 'dev-003']],
    ['assignedds.version=gt=1.5 and installedds.name==fw', ['dev-002']],
    ['createdat==1700000000123', ['dev-001']],
    ['createdat=le=1700000000123;createdat=ge=1700000000123', ['dev-001']],
    ['createdat=gt=1700000000123;createdat=lt=1700000180000', ['dev-002', 'dev-003']],
    ['lastcontrollerrequestat=lt=1700000010000', ['dev-001', 'gw-7']],
    [
      'lastcontrollerrequestat!=1700000010000',
      ['dev-001', 'dev-003', 'DEV-004', 'lab_1', 'lab21', 'gw-7', 'sensor-8', 'sensor-9', 'sensor-10'],
    ],
    [`name=="x' OR '1'='1"`, []],
  ])('%s', async (query, expected) => {
    expect(await matching(query)).toEqual(sorted(...expected));
  });

  it.each(['tag==prod', 'tag==PROD;updatestatus==in_sync', 'tag=in=(eu,nope)', 'tag==Lab', 'tag==l*', 'tag!=prod'])(
    'gives the same targets for %s with the indexed tag test as without it',
    async (query) => {
      const { where, params } = compileTargetFilter(query, 0, schema);
      const indexed = await client.query<{ controller_id: string }>(
        `SELECT t.controller_id FROM targets t WHERE ${where}`,
        params,
      );
      const found = sorted(...indexed.rows.map((row) => row.controller_id));
      expect(found).toEqual(await matching(query));
      expect(found.length).toBeGreaterThan(0);
      expect(where.includes('target_tags')).toBe(!query.includes('*') && !query.includes('!='));
    },
  );

  it('combines with the surrounding statement’s own parameters', async () => {
    const { where, params } = compileTargetFilter('tag==prod', 1);
    const result = await client.query<{ controller_id: string }>(
      `SELECT t.controller_id FROM targets t WHERE t.update_status <> $1 AND ${where}`,
      ['in_sync', ...params],
    );
    expect(sorted(...result.rows.map((found) => found.controller_id))).toEqual(sorted('dev-002', 'sensor-10'));
  });

  it('rejects a malformed query before anything reaches the database', () => {
    expect(() => compileTargetFilter('name==device*;(tag==prod')).toThrow(TargetFilterSyntaxError);
  });
});
