import { Body, Controller, Headers, HttpCode, Inject, ParseArrayPipe, Post } from '@nestjs/common';
import type { Pool } from 'pg';
import { DATABASE_POOL } from '../../../shared/tokens';
import { ApplicationError } from '../../../shared/application-error';
import { INVENTORY_SCHEMA } from '../../../inventory/inventory.migration';
import { targetColumns, TargetRow, toTargetView } from '../../target.view';
import { CreateTargetDto } from './create-targets.dto';

@Controller('rest/v1/targets')
export class CreateTargetsController {
  constructor(@Inject(DATABASE_POOL) private readonly pool: Pool) {}

  /** hawkBit's create: an array of targets, all or nothing; a known controllerId is a 409. */
  @Post()
  @HttpCode(201)
  async create(
    @Body(new ParseArrayPipe({ items: CreateTargetDto, whitelist: true })) targets: CreateTargetDto[],
    @Headers('x-fleetwave-user') user = 'system',
  ) {
    const ids = targets.map((t) => t.controllerId);
    if (new Set(ids).size !== ids.length) {
      throw new ApplicationError(
        'bad_request',
        'hawkbit.server.error.repo.constraintViolation',
        'duplicate controllerId in request',
      );
    }
    const { rows } = await this.pool.query<TargetRow>(
      `insert into ${INVENTORY_SCHEMA}.targets (controller_id, name, description, created_by, last_modified_by)
       select c, coalesce(n, c), d, $4, $4 from unnest($1::text[], $2::text[], $3::text[]) as x(c, n, d)
       on conflict (controller_id) do nothing
       returning ${targetColumns}`,
      [ids, targets.map((t) => t.name ?? null), targets.map((t) => t.description ?? null), user],
    );
    if (rows.length !== targets.length) {
      const created = new Set(rows.map((r) => r.controller_id));
      // All or nothing: undo the ones this request created before reporting the conflict.
      await this.pool.query(`delete from ${INVENTORY_SCHEMA}.targets where id = any($1::bigint[])`, [
        rows.map((r) => r.id),
      ]);
      const taken = ids.filter((id) => !created.has(id));
      throw new ApplicationError(
        'conflict',
        'hawkbit.server.error.repo.entitiyAlreadyExists',
        `target already exists: ${taken.join(', ')}`,
      );
    }
    return rows.map(toTargetView);
  }
}
