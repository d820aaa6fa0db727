import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { invalidParameter, withTransaction, type ListQuery, type Page } from '@fleetwave/platform';
import { DATABASE_POOL } from '../../shared/tokens';
import { ApplicationError, notFound } from '../../shared/application-error';
import { INVENTORY_SCHEMA } from '../../inventory/inventory.migration';
import { auditSortable } from '../../inventory/inventory.views';
import { entityFields } from '../../inventory/entity-fields';
import { listPage } from '../../inventory/list-page';
import { uniquely } from '../../inventory/inventory-errors';
import { targetSortable, targetsWithType, targetViewOf, targetWithTypeColumns, type TargetView } from '../target.view';
import { targetTagView, type TagRow, type TargetTagView } from './target-tag.view';

const S = INVENTORY_SCHEMA;

/** hawkBit's policies for controllerIds a tag assignment names that no target has. */
export const notFoundPolicies = ['FAIL', 'ON_WHAT_FOUND_AND_FAIL', 'ON_WHAT_FOUND_AND_SUCCESS'] as const;
export type NotFoundPolicy = (typeof notFoundPolicies)[number];

/** A tag to create, or a change of one (each field absent stays as it is). */
export interface TagFields {
  name?: string;
  description?: string;
  colour?: string;
}

/** The policy a request names; none is FAIL, an unknown one a 400. */
export function notFoundPolicyOf(value: unknown): NotFoundPolicy {
  if (value === undefined || value === null || value === '') return 'FAIL';
  const policy = notFoundPolicies.find((p) => p === value);
  if (policy) return policy;
  throw invalidParameter(`onNotFoundPolicy must be one of ${notFoundPolicies.join(', ')}`);
}

const tagFields = entityFields('target tags', {
  id: ['text', 'g.id::text'],
  name: ['text', 'g.name'],
  description: ['text', 'g.description'],
  colour: ['text', 'g.colour'],
});

const unknownTargets = (ids: string[]): ApplicationError =>
  new ApplicationError(
    'not_found',
    'hawkbit.server.error.repo.entitiyNotFound',
    `Target with given identifier {${ids.slice(0, 20).join(', ')}} does not exist.`,
  );

/**
 * Target tags and which targets carry them: the one handler of each of their commands and
 * queries. A target keeps its tags by name (`targets.tags`), which the target filter's `tag`
 * field reads, so a rename rewrites the targets that carry it and a delete removes it from them.
 */
@Injectable()
export class TargetTags {
  constructor(@Inject(DATABASE_POOL) private readonly pool: Pool) {}

  list(query: ListQuery): Promise<Page<TargetTagView>> {
    return listPage(
      this.pool,
      {
        from: `${S}.target_tags g`,
        columns: 'g.*',
        sortable: {
          id: 'g.id',
          name: 'g.name',
          description: 'g.description',
          colour: 'g.colour',
          ...auditSortable('g'),
        },
        tieBreaker: 'g.id',
        fields: tagFields,
        toView: targetTagView,
      },
      query,
    );
  }

  async get(id: number): Promise<TargetTagView> {
    return targetTagView(await this.row(id));
  }

  /** All or nothing; a taken name is a 409. */
  async create(tags: (TagFields & { name: string })[], user: string): Promise<TargetTagView[]> {
    const { rows } = await uniquely('target tag with that name', () =>
      this.pool.query<TagRow>(
        `insert into ${S}.target_tags (name, description, colour, created_by, last_modified_by)
         select n, d, c, $4, $4 from unnest($1::text[], $2::text[], $3::text[]) with ordinality as x(n, d, c, i)
         order by i returning *`,
        [tags.map((t) => t.name), tags.map((t) => t.description ?? null), tags.map((t) => t.colour ?? null), user],
      ),
    );
    return rows.map(targetTagView);
  }

  async update(id: number, change: TagFields, user: string): Promise<TargetTagView> {
    const old = await this.row(id);
    const row = await uniquely('target tag with that name', () =>
      withTransaction(this.pool, async (tx) => {
        const { rows } = await tx.query<TagRow>(
          `update ${S}.target_tags set name = coalesce($2, name), description = coalesce($3, description),
             colour = coalesce($4, colour), last_modified_at = now(), last_modified_by = $5 where id = $1 returning *`,
          [id, change.name ?? null, change.description ?? null, change.colour ?? null, user],
        );
        if (rows.length === 0) throw notFound('TargetTag', id);
        if (rows[0].name !== old.name) {
          await tx.query(`update ${S}.targets set tags = array_replace(tags, $1, $2) where tags @> array[$1::text]`, [
            old.name,
            rows[0].name,
          ]);
        }
        return rows[0];
      }),
    );
    return targetTagView(row);
  }

  async remove(id: number): Promise<void> {
    await withTransaction(this.pool, async (tx) => {
      const { rows } = await tx.query<{ name: string }>(`delete from ${S}.target_tags where id = $1 returning name`, [
        id,
      ]);
      if (rows.length === 0) throw notFound('TargetTag', id);
      await tx.query(`update ${S}.targets set tags = array_remove(tags, $1) where tags @> array[$1::text]`, [
        rows[0].name,
      ]);
    });
  }

  async taggedTargets(id: number, query: ListQuery): Promise<Page<TargetView>> {
    const tag = await this.row(id);
    return listPage(
      this.pool,
      {
        from: targetsWithType,
        columns: targetWithTypeColumns,
        sortable: targetSortable,
        tieBreaker: 't.id',
        scope: { where: 't.tags @> array[$1::text]', params: [tag.name] },
        toView: targetViewOf,
      },
      query,
    );
  }

  /**
   * Tags (`assign`) or untags the targets; those already so are left as they are. Unknown
   * controllerIds fail it (404) unless the policy says otherwise.
   */
  async change(
    id: number,
    controllerIds: string[],
    how: 'assign' | 'unassign',
    policy: NotFoundPolicy,
    user: string,
  ): Promise<void> {
    const tag = await this.row(id);
    const ids = [...new Set(controllerIds)];
    const missing = await withTransaction(this.pool, async (tx) => {
      const found = await tx.query<{ controller_id: string }>(
        `select controller_id from ${S}.targets where controller_id = any($1::text[]) order by controller_id for update`,
        [ids],
      );
      const known = new Set(found.rows.map((r) => r.controller_id));
      const unknown = ids.filter((c) => !known.has(c));
      if (unknown.length > 0 && policy === 'FAIL') throw unknownTargets(unknown);
      const change = how === 'assign' ? 'array_append(tags, $2)' : 'array_remove(tags, $2)';
      const which = how === 'assign' ? 'not (tags @> array[$2::text])' : 'tags @> array[$2::text]';
      await tx.query(
        `update ${S}.targets set tags = ${change}, last_modified_at = now(), last_modified_by = $3
         where controller_id = any($1::text[]) and ${which}`,
        [ids, tag.name, user],
      );
      return unknown;
    });
    // The found targets are changed (committed) before the unknown ones are reported.
    if (missing.length > 0 && policy === 'ON_WHAT_FOUND_AND_FAIL') throw unknownTargets(missing);
  }

  private async row(id: number): Promise<TagRow> {
    const { rows } = await this.pool.query<TagRow>(`select * from ${S}.target_tags where id = $1`, [id]);
    if (rows.length === 0) throw notFound('TargetTag', id);
    return rows[0];
  }
}
