import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { FieldLengths, MAX_ATTRIBUTES } from '@fleetwave/contracts';
import { invalidParameter } from '@fleetwave/platform';
import { DATABASE_POOL } from '../../shared/tokens';
import { ApplicationError, notFound } from '../../shared/application-error';
import { INVENTORY_SCHEMA } from '../../inventory/inventory.migration';
import { alreadyExists } from '../../inventory/inventory-errors';

const S = INVENTORY_SCHEMA;
/** Most metadata entries one target may carry (hawkBit's quota answers 429 beyond it). */
const MAX_METADATA_PER_TARGET = MAX_ATTRIBUTES;

/** One metadata entry (hawkBit's MgmtMetadata). */
export interface MetadataEntry {
  key: string;
  value: string;
}

const metadataKey = (key: string): string => {
  if (key.length === 0 || key.length > FieldLengths.attributeKey || key.includes('\u0000')) {
    throw invalidParameter(`metadataKey must have 1 to ${FieldLengths.attributeKey} characters and no NUL`);
  }
  return key;
};

/**
 * Operator-managed key/value metadata of a target (`targets.metadata`), which the target filter
 * reads as `metadata.<key>`. An unknown target or key is a 404.
 */
@Injectable()
export class TargetMetadata {
  constructor(@Inject(DATABASE_POOL) private readonly pool: Pool) {}

  /** Every entry of the target, by key. */
  async list(controllerId: string): Promise<MetadataEntry[]> {
    const metadata = await this.metadata(controllerId);
    return Object.entries(metadata)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value]) => ({ key, value }));
  }

  async get(controllerId: string, key: string): Promise<MetadataEntry> {
    const metadata = await this.metadata(controllerId);
    if (!Object.prototype.hasOwnProperty.call(metadata, metadataKey(key))) throw notFound('TargetMetadata', key);
    return { key, value: metadata[key] };
  }

  /** Adds entries; a key the target already has (or given twice) is a 409, more than the quota a 429. */
  async create(controllerId: string, entries: MetadataEntry[], user: string): Promise<MetadataEntry[]> {
    const added = Object.fromEntries(entries.map((e) => [e.key, e.value]));
    if (Object.keys(added).length !== entries.length) throw alreadyExists('a metadata key given twice');
    const { rowCount } = await this.pool.query(
      `update ${S}.targets set metadata = metadata || $2::jsonb, last_modified_at = now(), last_modified_by = $5
       where controller_id = $1 and not (metadata ?| $3::text[])
         and (select count(*) from jsonb_object_keys(metadata || $2::jsonb)) <= $4`,
      [controllerId, JSON.stringify(added), Object.keys(added), MAX_METADATA_PER_TARGET, user],
    );
    if (rowCount === 0) {
      // Nothing changed: say why (unknown target, a taken key, or the quota).
      const metadata = await this.metadata(controllerId);
      if (Object.keys(added).some((key) => Object.prototype.hasOwnProperty.call(metadata, key))) {
        throw alreadyExists(`metadata of target ${controllerId} with one of the keys`);
      }
      throw new ApplicationError(
        'quota',
        'hawkbit.server.error.quota.tooManyEntries',
        `a target may carry at most ${MAX_METADATA_PER_TARGET} metadata entries`,
      );
    }
    return entries.map((e) => ({ key: e.key, value: e.value }));
  }

  async update(controllerId: string, key: string, value: string, user: string): Promise<void> {
    const { rowCount } = await this.pool.query(
      `update ${S}.targets set metadata = jsonb_set(metadata, array[$2::text], to_jsonb($3::text)),
         last_modified_at = now(), last_modified_by = $4
       where controller_id = $1 and metadata ? $2`,
      [controllerId, metadataKey(key), value, user],
    );
    if (rowCount === 0) await this.missing(controllerId, key);
  }

  async remove(controllerId: string, key: string, user: string): Promise<void> {
    const { rowCount } = await this.pool.query(
      `update ${S}.targets set metadata = metadata - $2::text, last_modified_at = now(), last_modified_by = $3
       where controller_id = $1 and metadata ? $2`,
      [controllerId, metadataKey(key), user],
    );
    if (rowCount === 0) await this.missing(controllerId, key);
  }

  private async metadata(controllerId: string): Promise<Record<string, string>> {
    const { rows } = await this.pool.query<{ metadata: Record<string, string> }>(
      `select metadata from ${S}.targets where controller_id = $1`,
      [controllerId],
    );
    if (rows.length === 0) throw notFound('Target', controllerId);
    return rows[0].metadata;
  }

  /** Which of the two is unknown, the target or its key (both 404). */
  private async missing(controllerId: string, key: string): Promise<never> {
    await this.metadata(controllerId);
    throw notFound('TargetMetadata', key);
  }
}
