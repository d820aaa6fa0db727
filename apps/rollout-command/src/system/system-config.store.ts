import type { SqlExecutor } from '@fleetwave/event-store';
import { systemConfigKeys, type SystemConfigKey, type SystemConfigValue } from './system-config.keys';

/** A setting as the API shows it: its own value, or the default (`global`) when none was set. */
export interface SystemConfigEntry {
  key: SystemConfigKey;
  value: SystemConfigValue;
  global: boolean;
  createdAt?: number;
  createdBy?: string;
  lastModifiedAt?: number;
  lastModifiedBy?: string;
}

interface ConfigRow {
  key: SystemConfigKey;
  value: SystemConfigValue;
  created_at_ms: string;
  created_by: string;
  last_modified_at_ms: string;
  last_modified_by: string;
}

const columns = `key, value, (extract(epoch from created_at) * 1000)::bigint as created_at_ms, created_by,
  (extract(epoch from last_modified_at) * 1000)::bigint as last_modified_at_ms, last_modified_by`;

const toEntry = (key: SystemConfigKey, row: ConfigRow | undefined): SystemConfigEntry =>
  row
    ? {
        key,
        value: row.value,
        global: false,
        createdAt: Number(row.created_at_ms),
        createdBy: row.created_by,
        lastModifiedAt: Number(row.last_modified_at_ms),
        lastModifiedBy: row.last_modified_by,
      }
    : { key, value: systemConfigKeys[key].defaultValue, global: true };

/** The `system_configs` table: only settings that differ from their default have a row. */
export class SystemConfigStore {
  constructor(private readonly schema: string) {}

  async all(db: SqlExecutor): Promise<SystemConfigEntry[]> {
    const { rows } = await db.query<ConfigRow>(`select ${columns} from ${this.schema}.system_configs`);
    const byKey = new Map(rows.map((r) => [r.key, r]));
    return (Object.keys(systemConfigKeys) as SystemConfigKey[]).map((key) => toEntry(key, byKey.get(key)));
  }

  async get(db: SqlExecutor, key: SystemConfigKey): Promise<SystemConfigEntry> {
    const { rows } = await db.query<ConfigRow>(`select ${columns} from ${this.schema}.system_configs where key = $1`, [
      key,
    ]);
    return toEntry(key, rows[0]);
  }

  async set(db: SqlExecutor, key: SystemConfigKey, value: SystemConfigValue, user: string, at: number) {
    const { rows } = await db.query<ConfigRow>(
      `insert into ${this.schema}.system_configs as c
         (key, value, created_at, created_by, last_modified_at, last_modified_by)
       values ($1, $2::jsonb, to_timestamp($4 / 1000.0), $3, to_timestamp($4 / 1000.0), $3)
       on conflict (key) do update
         set value = excluded.value, last_modified_at = excluded.last_modified_at,
             last_modified_by = excluded.last_modified_by
       returning ${columns}`,
      [key, JSON.stringify(value), user, at],
    );
    return toEntry(key, rows[0]);
  }

  /** Back to the default. */
  async reset(db: SqlExecutor, key: SystemConfigKey): Promise<void> {
    await db.query(`delete from ${this.schema}.system_configs where key = $1`, [key]);
  }
}
