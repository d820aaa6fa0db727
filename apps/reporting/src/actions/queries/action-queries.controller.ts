import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { renderAction, renderActionStatus } from '@fleetwave/contracts';
import { ListQuery, page, ParseControllerIdPipe, ParseIdPipe, type Page } from '@fleetwave/platform';
import { NotFoundInReadModel } from '../../rollout-queries/not-found';
import { ActionQueries } from './action.queries';

const parseActionId = new ParseIdPipe('Action');
const parseControllerId = new ParseControllerIdPipe();

/** A page of views as a page of what `render` makes of them. */
const rendered = <V, R>({ content, total }: Page<V>, render: (view: V) => R) => page(content.map(render), total);

/**
 * REST adapter of the action reads inside the cluster (the gateway asks reporting over the
 * internal gRPC API): every action, one action, a target's actions and an action's status
 * history. A target without actions has an empty list (the inventory, which knows every target,
 * lives in rollout-command).
 */
@Controller('rest/v1')
export class ActionQueriesController {
  constructor(@Inject(ActionQueries) private readonly actions: ActionQueries) {}

  @Get('actions')
  async list(@Query() query: ListQuery) {
    return rendered(await this.actions.list(query), renderAction);
  }

  @Get('actions/:actionId')
  async get(@Param('actionId', parseActionId) actionId: number) {
    const action = await this.actions.get(actionId);
    if (!action) throw new NotFoundInReadModel('Action', actionId);
    return renderAction(action);
  }

  @Get('targets/:controllerId/actions')
  async listOfTarget(@Param('controllerId', parseControllerId) controllerId: string, @Query() query: ListQuery) {
    return rendered(await this.actions.list(query, controllerId), renderAction);
  }

  @Get('targets/:controllerId/actions/:actionId')
  async getOfTarget(
    @Param('controllerId', parseControllerId) controllerId: string,
    @Param('actionId', parseActionId) actionId: number,
  ) {
    const action = await this.actions.get(actionId, controllerId);
    if (!action) throw new NotFoundInReadModel('Action', actionId);
    return renderAction(action);
  }

  @Get('targets/:controllerId/actions/:actionId/status')
  async statuses(
    @Param('controllerId', parseControllerId) controllerId: string,
    @Param('actionId', parseActionId) actionId: number,
    @Query() query: ListQuery,
  ) {
    const statuses = await this.actions.statuses(controllerId, actionId, query);
    if (!statuses) throw new NotFoundInReadModel('Action', actionId);
    return rendered(statuses, renderActionStatus);
  }
}
