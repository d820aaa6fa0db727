import { Controller, Get, Inject, Param, Query, UseGuards } from '@nestjs/common';
import { renderAction, renderActionStatus, type ActionStatusView, type ActionView } from '@fleetwave/contracts';
import { ListQuery, page, ParseControllerIdPipe, ParseIdPipe, type InternalClient } from '@fleetwave/platform';
import { ManagementApiGuard } from '../auth/management-api.guard';
import { BACKENDS, type Backends } from '../backends';
import { listMessage } from '../rollouts/rollout-api';

/** The internal `ActionQueries` service of reporting, which holds the actions read model. */
export const ACTION_QUERIES = Symbol('ACTION_QUERIES');

const actionId = new ParseIdPipe('Action');
const controllerId = new ParseControllerIdPipe();

const rendered = <V, R>(answer: Record<string, unknown>, render: (view: V) => R) => {
  const content = (answer.content ?? []) as V[];
  return page(content.map(render), Number(answer.total ?? 0));
};

/**
 * hawkBit's action reads (`/actions…`, `/targets/{controllerId}/actions…`): shapes here, each
 * route one handler of reporting's `ActionQueries`, reached over the internal gRPC API. The
 * actions of a target the inventory does not know are a 404, as in hawkBit, not an empty page:
 * the read model knows actions, not targets, so rollout-command's `Targets` is asked first.
 */
@UseGuards(ManagementApiGuard)
@Controller('rest/v1')
export class ActionsController {
  constructor(
    @Inject(ACTION_QUERIES) private readonly actions: InternalClient,
    @Inject(BACKENDS) private readonly backends: Backends,
  ) {}

  @Get('actions')
  async list(@Query() query: ListQuery) {
    return rendered<ActionView, unknown>(
      await this.actions.call('ListActions', { page: listMessage(query) }),
      renderAction,
    );
  }

  @Get('actions/:actionId')
  async get(@Param('actionId', actionId) id: number) {
    return renderAction((await this.actions.call('GetAction', { actionId: id })) as unknown as ActionView);
  }

  @Get('targets/:controllerId/actions')
  async listOfTarget(@Param('controllerId', controllerId) target: string, @Query() query: ListQuery) {
    await this.requireKnownTarget(target);
    return rendered<ActionView, unknown>(
      await this.actions.call('ListActions', { page: listMessage(query), controllerId: target }),
      renderAction,
    );
  }

  @Get('targets/:controllerId/actions/:actionId')
  async getOfTarget(@Param('controllerId', controllerId) target: string, @Param('actionId', actionId) id: number) {
    await this.requireKnownTarget(target);
    const view = await this.actions.call('GetAction', { actionId: id, controllerId: target });
    return renderAction(view as unknown as ActionView);
  }

  @Get('targets/:controllerId/actions/:actionId/status')
  async statuses(
    @Param('controllerId', controllerId) target: string,
    @Param('actionId', actionId) id: number,
    @Query() query: ListQuery,
  ) {
    await this.requireKnownTarget(target);
    return rendered<ActionStatusView, unknown>(
      await this.actions.call('ListActionStatuses', { controllerId: target, actionId: id, page: listMessage(query) }),
      renderActionStatus,
    );
  }

  /** The inventory's answer for an unknown target (hawkBit's 404) stands for its actions too. */
  private async requireKnownTarget(target: string): Promise<void> {
    await this.backends.targets.call('GetTarget', { controllerId: target });
  }
}
