import { Body, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ListQuery, ParseControllerIdPipe, ParseIdPipe } from '@fleetwave/platform';
import { callerMessage } from '../../auth/authorize';
import type { AuthorizedRequest } from '../../auth/management-api.guard';
import { listMessage } from '../../rollouts/rollout-api';
import { renderPage } from '../inventory-rendering';
import { entityRoutes } from '../entity-routes';
import { AssignmentPolicyQuery, controllerIdsOf, givenFields, NewTagDto, TagDto } from './target-catalog.dto';
import { renderTarget } from '../targets/target-rendering';
import { renderTargetTag } from './target-catalog-rendering';

const tagId = new ParseIdPipe('TargetTag');
const controllerId = new ParseControllerIdPipe();

/**
 * hawkBit's target tags (`/rest/v1/targettags`) and which targets carry them, served by
 * rollout-command's `TargetCatalog`. Tagging a target already tagged (or untagging one that is
 * not) changes nothing; unknown controllerIds fail the request (404) unless `onNotFoundPolicy`
 * says otherwise.
 */
export class TargetTagsController extends entityRoutes({
  path: 'targettags',
  backend: 'catalog',
  id: tagId,
  render: renderTargetTag,
  list: 'ListTargetTags',
  get: 'GetTargetTag',
  /** An array of tags, all or nothing. */
  create: { method: 'CreateTargetTags', items: NewTagDto, field: 'tags', definition: givenFields },
  update: { method: 'UpdateTargetTag', body: TagDto, change: givenFields },
  delete: 'DeleteTargetTag',
}) {
  @Get(':id/assigned')
  async assigned(@Param('id', tagId) id: number, @Query() query: ListQuery) {
    return renderPage(
      await this.backends.catalog.call('ListTaggedTargets', { id, page: listMessage(query) }),
      renderTarget,
    );
  }

  @Post(':id/assigned')
  @HttpCode(204)
  async assign(
    @Req() req: AuthorizedRequest,
    @Param('id', tagId) id: number,
    @Body() body: unknown,
    @Query() policy: AssignmentPolicyQuery,
  ): Promise<void> {
    await this.change(req, 'AssignTargetTag', id, controllerIdsOf(body), policy);
  }

  @Delete(':id/assigned')
  @HttpCode(204)
  async unassign(
    @Req() req: AuthorizedRequest,
    @Param('id', tagId) id: number,
    @Body() body: unknown,
    @Query() policy: AssignmentPolicyQuery,
  ): Promise<void> {
    await this.change(req, 'UnassignTargetTag', id, controllerIdsOf(body), policy);
  }

  @Post(':id/assigned/:controllerId')
  @HttpCode(204)
  async assignOne(
    @Req() req: AuthorizedRequest,
    @Param('id', tagId) id: number,
    @Param('controllerId', controllerId) target: string,
  ): Promise<void> {
    await this.change(req, 'AssignTargetTag', id, [target]);
  }

  @Delete(':id/assigned/:controllerId')
  @HttpCode(204)
  async unassignOne(
    @Req() req: AuthorizedRequest,
    @Param('id', tagId) id: number,
    @Param('controllerId', controllerId) target: string,
  ): Promise<void> {
    await this.change(req, 'UnassignTargetTag', id, [target]);
  }

  private async change(
    req: AuthorizedRequest,
    method: 'AssignTargetTag' | 'UnassignTargetTag',
    id: number,
    controllerIds: string[],
    policy: AssignmentPolicyQuery = {},
  ): Promise<void> {
    await this.backends.catalog.call(method, {
      caller: callerMessage(req.caller),
      tagId: id,
      controllerIds,
      ...givenFields(policy),
    });
  }
}
