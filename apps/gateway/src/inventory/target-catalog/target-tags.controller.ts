import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  Query,
  Req,
  UseGuards,
} from '@nestjs/common';
import { ListQuery, ParseControllerIdPipe, ParseIdPipe, ParseItemsPipe } from '@fleetwave/platform';
import { callerMessage } from '../../auth/authorize';
import { ManagementApiGuard, type AuthorizedRequest } from '../../auth/management-api.guard';
import { BACKENDS, type Backends } from '../../backends';
import { listMessage } from '../../rollouts/rollout-api';
import { renderItems, renderPage } from '../inventory-rendering';
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
@UseGuards(ManagementApiGuard)
@Controller('rest/v1/targettags')
export class TargetTagsController {
  constructor(@Inject(BACKENDS) private readonly backends: Backends) {}

  @Get()
  async list(@Query() query: ListQuery) {
    return renderPage(await this.backends.catalog.call('ListTargetTags', listMessage(query)), renderTargetTag);
  }

  @Get(':id')
  async get(@Param('id', tagId) id: number) {
    return renderTargetTag(await this.backends.catalog.call('GetTargetTag', { id }));
  }

  /** An array of tags, all or nothing. */
  @Post()
  @HttpCode(201)
  async create(@Req() req: AuthorizedRequest, @Body(new ParseItemsPipe(NewTagDto)) tags: NewTagDto[]) {
    const answer = await this.backends.catalog.call('CreateTargetTags', {
      caller: callerMessage(req.caller),
      tags: tags.map(givenFields),
    });
    return renderItems(answer, renderTargetTag);
  }

  @Put(':id')
  async update(@Req() req: AuthorizedRequest, @Param('id', tagId) id: number, @Body() body: TagDto) {
    const answer = await this.backends.catalog.call('UpdateTargetTag', {
      caller: callerMessage(req.caller),
      id,
      ...givenFields(body),
    });
    return renderTargetTag(answer);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Req() req: AuthorizedRequest, @Param('id', tagId) id: number): Promise<void> {
    await this.backends.catalog.call('DeleteTargetTag', { caller: callerMessage(req.caller), id });
  }

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
