import { Controller, Get, Inject, Param, Query, UseGuards } from '@nestjs/common';
import { ListQuery, ParseIdPipe } from '@fleetwave/platform';
import { ManagementApiGuard } from '../../auth/management-api.guard';
import { BACKENDS, type Backends } from '../../backends';
import { listMessage } from '../../rollouts/rollout-api';
import { renderPage } from '../inventory-rendering';
import { renderTarget } from './target-rendering';

const rolloutId = new ParseIdPipe('Rollout');
const groupId = new ParseIdPipe('RolloutGroup');

/**
 * `GET /rest/v1/rollouts/{rolloutId}/deploygroups/{groupId}/targets`: the targets of one deploy
 * group in hawkBit's target shape, with the target list's paging, `sort` and `q`; served by
 * rollout-command's `Targets` from the rollout's membership (dynamic groups' members as they join).
 */
@UseGuards(ManagementApiGuard)
@Controller('rest/v1/rollouts/:rolloutId/deploygroups/:groupId/targets')
export class DeployGroupTargetsController {
  constructor(@Inject(BACKENDS) private readonly backends: Backends) {}

  @Get()
  async list(
    @Param('rolloutId', rolloutId) rollout: number,
    @Param('groupId', groupId) group: number,
    @Query() query: ListQuery,
  ) {
    const answer = await this.backends.targets.call('ListGroupTargets', {
      rolloutId: rollout,
      groupId: group,
      page: listMessage(query),
    });
    return renderPage(answer, renderTarget);
  }
}
