import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { IsIn, IsOptional } from 'class-validator';
import type { Pool } from 'pg';
import { BoundedText, FieldLengths, OptionalNotNull } from '@fleetwave/contracts';
import {
  constraintViolation,
  ListQuery,
  ParseControllerIdPipe,
  ParseIdPipe,
  ParseItemsPipe,
  withTransaction,
} from '@fleetwave/platform';
import { DATABASE_POOL } from '../../shared/tokens';
import { ApplicationError, notFound } from '../../shared/application-error';
import { INVENTORY_SCHEMA } from '../../inventory/inventory.migration';
import { auditSortable } from '../../inventory/inventory.views';
import { TagRow, toTagView } from './target-tag.view';
import { entityFields } from '../../inventory/entity-fields';
import { listPage } from '../../inventory/list-page';
import { uniquely } from '../../inventory/inventory-errors';
import { TargetRow, targetSortable, targetsWithType, targetWithTypeColumns, toTargetView } from '../target.view';

const S = INVENTORY_SCHEMA;
/** Most controllerIds one assignment request may name. */
const MAX_ASSIGNED_PER_REQUEST = 10_000;

/** hawkBit's MgmtTagRequestBodyPut (also the items of POST). */
export class TagDto {
  @OptionalNotNull() @BoundedText(FieldLengths.name, { required: true }) name?: string;
  @IsOptional() @BoundedText(FieldLengths.description) description?: string;
  @IsOptional() @BoundedText(FieldLengths.type) colour?: string;
}

export class AssignmentPolicyQuery {
  @IsOptional() @IsIn(['FAIL', 'ON_WHAT_FOUND_AND_FAIL', 'ON_WHAT_FOUND_AND_SUCCESS']) onNotFoundPolicy?: string;
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

/** A body that is a JSON array of controllerIds. */
function controllerIds(body: unknown): string[] {
  if (!Array.isArray(body) || body.length > MAX_ASSIGNED_PER_REQUEST) {
    throw constraintViolation(`request body must be a JSON array of at most ${MAX_ASSIGNED_PER_REQUEST} controllerIds`);
  }
  const pipe = new ParseControllerIdPipe();
  return [
    ...new Set(
      body.map((id: unknown, index) => {
        if (typeof id !== 'string') throw constraintViolation(`[${index}] must be a controllerId string`);
        return pipe.transform(id);
      }),
    ),
  ];
}

/**
 * Target tags and which targets carry them. A target keeps its tags by name (`targets.tags`),
 * which the target filter's `tag` field reads, so a rename rewrites the targets that carry it.
 */
@Controller('rest/v1/targettags')
export class TargetTagsController {
  constructor(@Inject(DATABASE_POOL) private readonly pool: Pool) {}

  @Get()
  list(@Query() query: ListQuery) {
    return listPage<TagRow>(
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
        toView: toTagView,
      },
      query,
    );
  }

  @Get(':id')
  async get(@Param('id', new ParseIdPipe('TargetTag')) id: number) {
    return toTagView(await this.row(id));
  }

  @Post()
  @HttpCode(201)
  async create(@Body(new ParseItemsPipe(TagDto)) tags: TagDto[], @Headers('x-fleetwave-user') user = 'system') {
    if (tags.some((t) => t.name === undefined)) throw constraintViolation('every tag needs a name');
    const { rows } = await uniquely('target tag with that name', () =>
      this.pool.query<TagRow>(
        `insert into ${S}.target_tags (name, description, colour, created_by, last_modified_by)
         select n, d, c, $4, $4 from unnest($1::text[], $2::text[], $3::text[]) with ordinality as x(n, d, c, i)
         order by i returning *`,
        [tags.map((t) => t.name), tags.map((t) => t.description ?? null), tags.map((t) => t.colour ?? null), user],
      ),
    );
    return rows.map(toTagView);
  }

  @Put(':id')
  async update(
    @Param('id', new ParseIdPipe('TargetTag')) id: number,
    @Body() body: TagDto,
    @Headers('x-fleetwave-user') user = 'system',
  ) {
    const old = await this.row(id);
    const row = await uniquely('target tag with that name', () =>
      withTransaction(this.pool, async (tx) => {
        const { rows } = await tx.query<TagRow>(
          `update ${S}.target_tags set name = coalesce($2, name), description = coalesce($3, description),
             colour = coalesce($4, colour), last_modified_at = now(), last_modified_by = $5 where id = $1 returning *`,
          [id, body.name ?? null, body.description ?? null, body.colour ?? null, user],
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
    return toTagView(row);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id', new ParseIdPipe('TargetTag')) id: number): Promise<void> {
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

  @Get(':id/assigned')
  async assigned(@Param('id', new ParseIdPipe('TargetTag')) id: number, @Query() query: ListQuery) {
    const tag = await this.row(id);
    return listPage<TargetRow>(
      this.pool,
      {
        from: targetsWithType,
        columns: targetWithTypeColumns,
        sortable: targetSortable,
        tieBreaker: 't.id',
        scope: { where: 't.tags @> array[$1::text]', params: [tag.name] },
        toView: toTargetView,
      },
      query,
    );
  }

  /** Tags the targets; already tagged ones are left as they are. Unknown controllerIds fail it (404) unless the policy says otherwise. */
  @Post(':id/assigned')
  @HttpCode(204)
  async assign(
    @Param('id', new ParseIdPipe('TargetTag')) id: number,
    @Body() body: unknown,
    @Query() policy: AssignmentPolicyQuery,
    @Headers('x-fleetwave-user') user = 'system',
  ): Promise<void> {
    await this.change(id, controllerIds(body), 'assign', policy.onNotFoundPolicy, user);
  }

  @Delete(':id/assigned')
  @HttpCode(204)
  async unassign(
    @Param('id', new ParseIdPipe('TargetTag')) id: number,
    @Body() body: unknown,
    @Query() policy: AssignmentPolicyQuery,
    @Headers('x-fleetwave-user') user = 'system',
  ): Promise<void> {
    await this.change(id, controllerIds(body ?? []), 'unassign', policy.onNotFoundPolicy, user);
  }

  @Post(':id/assigned/:controllerId')
  @HttpCode(204)
  async assignOne(
    @Param('id', new ParseIdPipe('TargetTag')) id: number,
    @Param('controllerId', new ParseControllerIdPipe()) controllerId: string,
    @Headers('x-fleetwave-user') user = 'system',
  ): Promise<void> {
    await this.change(id, [controllerId], 'assign', 'FAIL', user);
  }

  @Delete(':id/assigned/:controllerId')
  @HttpCode(204)
  async unassignOne(
    @Param('id', new ParseIdPipe('TargetTag')) id: number,
    @Param('controllerId', new ParseControllerIdPipe()) controllerId: string,
    @Headers('x-fleetwave-user') user = 'system',
  ): Promise<void> {
    await this.change(id, [controllerId], 'unassign', 'FAIL', user);
  }

  private async change(id: number, ids: string[], how: 'assign' | 'unassign', policy = 'FAIL', user: string) {
    const tag = await this.row(id);
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
