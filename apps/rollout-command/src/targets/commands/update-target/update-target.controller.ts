import { Body, Controller, Delete, Headers, HttpCode, Inject, Param, Post, Put } from '@nestjs/common';
import type { Pool } from 'pg';
import { ParseControllerIdPipe } from '@fleetwave/platform';
import { DATABASE_POOL } from '../../../shared/tokens';
import { notFound } from '../../../shared/application-error';
import { INVENTORY_SCHEMA } from '../../../inventory/inventory.migration';
import { targetColumns, TargetRow, toTargetView } from '../../target.view';
import { TargetTypeRefDto, UpdateTargetDto } from './update-target.dto';

const S = INVENTORY_SCHEMA;

/** PUT and DELETE of one target, and its type, addressed by controllerId as in hawkBit. */
@Controller('rest/v1/targets')
export class UpdateTargetController {
  constructor(@Inject(DATABASE_POOL) private readonly pool: Pool) {}

  @Put(':controllerId')
  async update(
    @Param('controllerId', new ParseControllerIdPipe()) controllerId: string,
    @Body() body: UpdateTargetDto,
    @Headers('x-fleetwave-user') user = 'system',
  ) {
    if (body.targetType !== undefined) await this.requireType(body.targetType);
    const { rows } = await this.pool.query<TargetRow>(
      `with updated as (
         update ${S}.targets set name = coalesce($2, name), description = coalesce($3, description),
           target_type_id = coalesce($4, target_type_id),
           target_type = coalesce((select key from ${S}.target_types where id = $4), target_type),
           last_modified_at = now(), last_modified_by = $5
         where controller_id = $1 returning ${targetColumns})
       select u.*, tt.name as target_type_name from updated u left join ${S}.target_types tt on tt.id = u.target_type_id`,
      [controllerId, body.name ?? null, body.description ?? null, body.targetType ?? null, user],
    );
    if (rows.length === 0) throw notFound('Target', controllerId);
    return toTargetView(rows[0]);
  }

  @Delete(':controllerId')
  @HttpCode(204)
  async remove(@Param('controllerId', new ParseControllerIdPipe()) controllerId: string): Promise<void> {
    const { rowCount } = await this.pool.query(`delete from ${S}.targets where controller_id = $1`, [controllerId]);
    if (rowCount === 0) throw notFound('Target', controllerId);
  }

  @Post(':controllerId/targettype')
  @HttpCode(204)
  async assignType(
    @Param('controllerId', new ParseControllerIdPipe()) controllerId: string,
    @Body() body: TargetTypeRefDto,
    @Headers('x-fleetwave-user') user = 'system',
  ): Promise<void> {
    const key = await this.requireType(body.id);
    await this.setType(controllerId, body.id, key, user);
  }

  @Delete(':controllerId/targettype')
  @HttpCode(204)
  async unassignType(
    @Param('controllerId', new ParseControllerIdPipe()) controllerId: string,
    @Headers('x-fleetwave-user') user = 'system',
  ): Promise<void> {
    await this.setType(controllerId, null, null, user);
  }

  private async setType(controllerId: string, typeId: number | null, key: string | null, user: string) {
    const { rowCount } = await this.pool.query(
      `update ${S}.targets set target_type_id = $2, target_type = $3, last_modified_at = now(), last_modified_by = $4
       where controller_id = $1`,
      [controllerId, typeId, key, user],
    );
    if (rowCount === 0) throw notFound('Target', controllerId);
  }

  private async requireType(id: number): Promise<string> {
    const { rows } = await this.pool.query<{ key: string }>(`select key from ${S}.target_types where id = $1`, [id]);
    if (rows.length === 0) throw notFound('TargetType', id);
    return rows[0].key;
  }
}
