import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ListQuery, ParseControllerIdPipe, ParseIdPipe } from '@fleetwave/platform';
import { NotFoundInReadModel } from '../../rollout-queries/not-found';
import { ActionQueries } from './action.queries';

const parseActionId = new ParseIdPipe('Action');
const parseControllerId = new ParseControllerIdPipe();

/**
 * hawkBit's action reads, served from the actions read model: every action, one action, a
 * target's actions and an action's status history. A target without actions has an empty list
 * (the inventory, which knows every target, lives in rollout-command).
 */
@Controller('rest/v1')
export class ActionQueriesController {
  constructor(@Inject(ActionQueries) private readonly actions: ActionQueries) {}

  @Get('actions')
  list(@Query() query: ListQuery) {
    return this.actions.list(query);
  }

  @Get('actions/:actionId')
  async get(@Param('actionId', parseActionId) actionId: number) {
    const action = await this.actions.get(actionId);
    if (!action) throw new NotFoundInReadModel('Action', actionId);
    return action;
  }

  @Get('targets/:controllerId/actions')
  listOfTarget(@Param('controllerId', parseControllerId) controllerId: string, @Query() query: ListQuery) {
    return this.actions.list(query, controllerId);
  }

  @Get('targets/:controllerId/actions/:actionId')
  async getOfTarget(
    @Param('controllerId', parseControllerId) controllerId: string,
    @Param('actionId', parseActionId) actionId: number,
  ) {
    const action = await this.actions.get(actionId, controllerId);
    if (!action) throw new NotFoundInReadModel('Action', actionId);
    return action;
  }

  @Get('targets/:controllerId/actions/:actionId/status')
  async statuses(
    @Param('controllerId', parseControllerId) controllerId: string,
    @Param('actionId', parseActionId) actionId: number,
    @Query() query: ListQuery,
  ) {
    const statuses = await this.actions.statuses(controllerId, actionId, query);
    if (!statuses) throw new NotFoundInReadModel('Action', actionId);
    return statuses;
  }
}
