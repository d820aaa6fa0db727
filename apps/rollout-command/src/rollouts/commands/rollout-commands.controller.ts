import { Body, Controller, Delete, Headers, HttpCode, Param, Post, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { RolloutCreatedV1 } from '@fleetwave/contracts';
import { ParseIdPipe } from '@fleetwave/platform';
import { CreateRolloutDto, renderRollout, UpdateRolloutDto } from '@fleetwave/contracts';
import { createdRolloutView } from '../rollout.view';
import { CreateRolloutCommand } from './create-rollout/create-rollout.handler';
import { DeleteRolloutCommand } from './delete-rollout/delete-rollout.handler';
import { UpdateRolloutCommand } from './update-rollout/update-rollout.handler';

/**
 * The gateway forwards the caller's permissions, comma-separated; a call without the header
 * (a direct call inside the cluster) holds them all, as before the header existed.
 */
export const parsePermissions = (header: string | undefined): string[] | undefined =>
  header === undefined
    ? undefined
    : header
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p.length > 0);

/** The 201 body of a created rollout (also of a retry), still creating. */
export const createdRolloutBody = (created: RolloutCreatedV1 & { totalTargets: number }) =>
  renderRollout(createdRolloutView(created));

/**
 * Inbound HTTP adapter for creating, updating and deleting rollouts; the gateway authenticates
 * and forwards here. Bodies are validated by the global validation pipe against their DTOs.
 */
@Controller('rest/v1/rollouts')
export class RolloutCommandsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  async create(
    @Body() body: CreateRolloutDto,
    @Headers('x-fleetwave-user') user = 'system',
    @Headers('x-fleetwave-permissions') permissions?: string,
  ) {
    const created = await this.commands.execute(
      new CreateRolloutCommand(body, user, Date.now(), parsePermissions(permissions)),
    );
    return createdRolloutBody(created);
  }

  @Put(':id')
  async update(
    @Param('id', new ParseIdPipe('Rollout')) id: number,
    @Body() body: UpdateRolloutDto,
    @Headers('x-fleetwave-user') user = 'system',
  ) {
    return renderRollout(await this.commands.execute(new UpdateRolloutCommand(id, body, user, Date.now())));
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(
    @Param('id', new ParseIdPipe('Rollout')) id: number,
    @Headers('x-fleetwave-user') user = 'system',
  ): Promise<void> {
    await this.commands.execute(new DeleteRolloutCommand(id, user, Date.now()));
  }
}
