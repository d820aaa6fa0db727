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
import { CreateRolloutDto, UpdateRolloutDto } from '@fleetwave/contracts';
import { ListQuery, ParseIdPipe, parseRemark } from '@fleetwave/platform';
import { ManagementApiGuard, type AuthorizedRequest } from '../auth/management-api.guard';
import { RolloutApi } from './rollout-api';

const rolloutId = new ParseIdPipe('Rollout');
const groupId = new ParseIdPipe('RolloutGroup');

/**
 * hawkBit's rollout resources (`/rest/v1/rollouts…`, a group's targets aside), with a rollout's
 * progress over time and its decision audit: shapes and validation here, each route one
 * {@link RolloutApi} handler. Commands answer 204 (create and
 * retry 201 with the new rollout).
 */
@UseGuards(ManagementApiGuard)
@Controller('rest/v1/rollouts')
export class RolloutsController {
  constructor(@Inject(RolloutApi) private readonly api: RolloutApi) {}

  @Post()
  @HttpCode(201)
  create(@Req() req: AuthorizedRequest, @Body() body: CreateRolloutDto) {
    return this.api.create(req.caller, body);
  }

  @Get()
  list(@Query() query: ListQuery) {
    return this.api.list(query);
  }

  @Get(':id')
  get(@Param('id', rolloutId) id: number) {
    return this.api.get(id);
  }

  @Put(':id')
  update(@Req() req: AuthorizedRequest, @Param('id', rolloutId) id: number, @Body() body: UpdateRolloutDto) {
    return this.api.update(req.caller, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  delete(@Req() req: AuthorizedRequest, @Param('id', rolloutId) id: number): Promise<void> {
    return this.api.delete(req.caller, id);
  }

  @Post(':id/start')
  @HttpCode(204)
  start(@Req() req: AuthorizedRequest, @Param('id', rolloutId) id: number): Promise<void> {
    return this.api.lifecycle(req.caller, 'start', id);
  }

  @Post(':id/pause')
  @HttpCode(204)
  pause(@Req() req: AuthorizedRequest, @Param('id', rolloutId) id: number): Promise<void> {
    return this.api.lifecycle(req.caller, 'pause', id);
  }

  @Post(':id/resume')
  @HttpCode(204)
  resume(@Req() req: AuthorizedRequest, @Param('id', rolloutId) id: number): Promise<void> {
    return this.api.lifecycle(req.caller, 'resume', id);
  }

  @Post(':id/stop')
  @HttpCode(204)
  stop(@Req() req: AuthorizedRequest, @Param('id', rolloutId) id: number): Promise<void> {
    return this.api.lifecycle(req.caller, 'stop', id);
  }

  @Post(':id/triggerNextGroup')
  @HttpCode(204)
  triggerNextGroup(@Req() req: AuthorizedRequest, @Param('id', rolloutId) id: number): Promise<void> {
    return this.api.lifecycle(req.caller, 'triggerNextGroup', id);
  }

  @Post(':id/approve')
  @HttpCode(204)
  approve(@Req() req: AuthorizedRequest, @Param('id', rolloutId) id: number, @Query('remark') remark: unknown) {
    return this.api.decide(req.caller, 'approve', id, parseRemark(remark));
  }

  @Post(':id/deny')
  @HttpCode(204)
  deny(@Req() req: AuthorizedRequest, @Param('id', rolloutId) id: number, @Query('remark') remark: unknown) {
    return this.api.decide(req.caller, 'deny', id, parseRemark(remark));
  }

  @Post(':id/retry')
  @HttpCode(201)
  retry(@Req() req: AuthorizedRequest, @Param('id', rolloutId) id: number) {
    return this.api.retry(req.caller, id);
  }

  @Get(':id/progress')
  progress(
    @Param('id', rolloutId) id: number,
    @Query('group') group?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('bucketSeconds') bucketSeconds?: string,
  ) {
    return this.api.progress(id, { group, from, to, bucketSeconds });
  }

  @Get(':id/audit')
  audit(@Param('id', rolloutId) id: number) {
    return this.api.audit(id);
  }

  @Get(':id/deploygroups')
  listGroups(@Param('id', rolloutId) id: number, @Query() query: ListQuery) {
    return this.api.listGroups(id, query);
  }

  @Get(':id/deploygroups/:groupId')
  getGroup(@Param('id', rolloutId) id: number, @Param('groupId', groupId) group: number) {
    return this.api.getGroup(id, group);
  }
}
