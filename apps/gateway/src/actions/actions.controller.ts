import { Controller, Get, Inject, Param, Query, Req, UseGuards } from '@nestjs/common';
import { renderAction, renderActionStatus, type ActionStatusView, type ActionView } from '@fleetwave/contracts';
import {
  HawkbitHttpError,
  ListQuery,
  page,
  ParseControllerIdPipe,
  ParseIdPipe,
  serviceUnavailable,
  type HawkbitErrorBody,
  type InternalClient,
} from '@fleetwave/platform';
import { identityHeaders } from '../auth/authorize';
import { ManagementApiGuard, type AuthorizedRequest } from '../auth/management-api.guard';
import { UPSTREAMS } from '../proxy/management-api.proxy';
import type { Upstreams } from '../proxy/upstreams';
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
 * the read model knows actions, not targets, so rollout-command is asked first.
 */
@UseGuards(ManagementApiGuard)
@Controller('rest/v1')
export class ActionsController {
  constructor(
    @Inject(ACTION_QUERIES) private readonly actions: InternalClient,
    @Inject(UPSTREAMS) private readonly upstreams: Upstreams,
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
  async listOfTarget(
    @Req() req: AuthorizedRequest,
    @Param('controllerId', controllerId) target: string,
    @Query() query: ListQuery,
  ) {
    await this.requireKnownTarget(req, target);
    return rendered<ActionView, unknown>(
      await this.actions.call('ListActions', { page: listMessage(query), controllerId: target }),
      renderAction,
    );
  }

  @Get('targets/:controllerId/actions/:actionId')
  async getOfTarget(
    @Req() req: AuthorizedRequest,
    @Param('controllerId', controllerId) target: string,
    @Param('actionId', actionId) id: number,
  ) {
    await this.requireKnownTarget(req, target);
    const view = await this.actions.call('GetAction', { actionId: id, controllerId: target });
    return renderAction(view as unknown as ActionView);
  }

  @Get('targets/:controllerId/actions/:actionId/status')
  async statuses(
    @Req() req: AuthorizedRequest,
    @Param('controllerId', controllerId) target: string,
    @Param('actionId', actionId) id: number,
    @Query() query: ListQuery,
  ) {
    await this.requireKnownTarget(req, target);
    return rendered<ActionStatusView, unknown>(
      await this.actions.call('ListActionStatuses', { controllerId: target, actionId: id, page: listMessage(query) }),
      renderActionStatus,
    );
  }

  /** The inventory's answer for an unknown target (hawkBit's 404) stands for its actions too. */
  private async requireKnownTarget(req: AuthorizedRequest, target: string): Promise<void> {
    let known: Response;
    try {
      known = await fetch(`${this.upstreams.rolloutCommand}/rest/v1/targets/${encodeURIComponent(target)}`, {
        headers: {
          accept: 'application/json',
          ...identityHeaders(req.caller),
        },
        signal: AbortSignal.timeout(30_000),
      });
    } catch {
      throw serviceUnavailable();
    }
    if (known.status === 404) throw new HawkbitHttpError(404, (await known.json()) as HawkbitErrorBody);
    await known.body?.cancel();
    if (!known.ok) throw serviceUnavailable();
  }
}
