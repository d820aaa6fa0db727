import { Body, Controller, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ParseIdPipe } from '@fleetwave/platform';
import { CreateRolloutDto } from './create-rollout/create-rollout.dto';
import { CreateRolloutCommand } from './create-rollout/create-rollout.handler';
import { StartRolloutCommand } from './start-rollout/start-rollout.handler';

/**
 * Inbound HTTP adapter for rollout commands; the gateway authenticates and forwards here. The
 * body is validated by the global validation pipe against {@link CreateRolloutDto}.
 */
@Controller('rest/v1/rollouts')
export class RolloutCommandsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  async create(@Body() body: CreateRolloutDto, @Headers('x-fleetwave-user') user = 'system') {
    const created = await this.commands.execute(new CreateRolloutCommand(body, user, Date.now()));
    return {
      id: created.rolloutId,
      name: created.name,
      description: created.description ?? '',
      status: 'creating',
      targetFilterQuery: created.targetFilterQuery,
      distributionSetId: created.distributionSet.id,
      totalTargets: created.totalTargets,
      type: created.actionType,
      weight: created.weight,
      startAt: created.startAt,
      forcetime: created.forceTime,
      createdAt: created.createdAt,
      createdBy: created.createdBy,
      lastModifiedAt: created.createdAt,
      lastModifiedBy: created.createdBy,
      _links: { self: { href: `/rest/v1/rollouts/${created.rolloutId}` } },
    };
  }

  @Post(':id/start')
  @HttpCode(204)
  async start(
    @Param('id', new ParseIdPipe('Rollout')) id: number,
    @Headers('x-fleetwave-user') user = 'system',
  ): Promise<void> {
    await this.commands.execute(new StartRolloutCommand(id, user, Date.now()));
  }
}
