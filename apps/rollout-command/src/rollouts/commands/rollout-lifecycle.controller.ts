import { Controller, Headers, HttpCode, Optional, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ParseIdPipe, parseRemark } from '@fleetwave/platform';
import { ApproveRolloutCommand } from './approve-rollout/approve-rollout.handler';
import { DenyRolloutCommand } from './deny-rollout/deny-rollout.handler';
import { PauseRolloutCommand } from './pause-rollout/pause-rollout.handler';
import { ResumeRolloutCommand } from './resume-rollout/resume-rollout.handler';
import { RetryRolloutCommand } from './retry-rollout/retry-rollout.handler';
import { createdRolloutBody, parsePermissions } from './rollout-commands.controller';
import { StartRolloutCommand } from './start-rollout/start-rollout.handler';
import { StopRolloutCommand } from './stop-rollout/stop-rollout.handler';
import { TriggerNextGroupCommand } from './trigger-next-group/trigger-next-group.handler';
import { DynamicIntakeWorker } from '../processes/dynamic-intake.worker';

const rolloutId = new ParseIdPipe('Rollout');

/** The lifecycle commands of a rollout (`POST /rollouts/{id}/<verb>`), answered with 204 (retry: 201). */
@Controller('rest/v1/rollouts/:id')
export class RolloutLifecycleController {
  constructor(
    private readonly commands: CommandBus,
    /** Absent where a module serves the commands without the intake (its sweep still notices). */
    @Optional() private readonly intake?: DynamicIntakeWorker,
  ) {}

  @Post('start')
  @HttpCode(204)
  async start(@Param('id', rolloutId) id: number, @Headers('x-fleetwave-user') user = 'system'): Promise<void> {
    await this.commands.execute(new StartRolloutCommand(id, user, Date.now()));
    // A dynamic rollout takes in targets from now on, without waiting for the next sweep.
    this.intake?.wake();
  }

  @Post('pause')
  @HttpCode(204)
  async pause(@Param('id', rolloutId) id: number, @Headers('x-fleetwave-user') user = 'system'): Promise<void> {
    await this.commands.execute(new PauseRolloutCommand(id, user, Date.now()));
  }

  @Post('resume')
  @HttpCode(204)
  async resume(@Param('id', rolloutId) id: number, @Headers('x-fleetwave-user') user = 'system'): Promise<void> {
    await this.commands.execute(new ResumeRolloutCommand(id, user, Date.now()));
    this.intake?.wake();
  }

  @Post('stop')
  @HttpCode(204)
  async stop(@Param('id', rolloutId) id: number, @Headers('x-fleetwave-user') user = 'system'): Promise<void> {
    await this.commands.execute(new StopRolloutCommand(id, user, Date.now()));
  }

  @Post('triggerNextGroup')
  @HttpCode(204)
  async triggerNextGroup(
    @Param('id', rolloutId) id: number,
    @Headers('x-fleetwave-user') user = 'system',
  ): Promise<void> {
    await this.commands.execute(new TriggerNextGroupCommand(id, user, Date.now()));
  }

  @Post('approve')
  @HttpCode(204)
  async approve(
    @Param('id', rolloutId) id: number,
    @Query('remark') remark: unknown,
    @Headers('x-fleetwave-user') user = 'system',
  ): Promise<void> {
    await this.commands.execute(new ApproveRolloutCommand(id, user, Date.now(), parseRemark(remark)));
  }

  @Post('deny')
  @HttpCode(204)
  async deny(
    @Param('id', rolloutId) id: number,
    @Query('remark') remark: unknown,
    @Headers('x-fleetwave-user') user = 'system',
  ): Promise<void> {
    await this.commands.execute(new DenyRolloutCommand(id, user, Date.now(), parseRemark(remark)));
  }

  /** A new rollout over the failed targets: 201 with its body, like a create. */
  @Post('retry')
  @HttpCode(201)
  async retry(
    @Param('id', rolloutId) id: number,
    @Headers('x-fleetwave-user') user = 'system',
    @Headers('x-fleetwave-permissions') permissions?: string,
  ) {
    const created = await this.commands.execute(
      new RetryRolloutCommand(id, user, Date.now(), parsePermissions(permissions)),
    );
    return createdRolloutBody(created);
  }
}
