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
  Res,
  UseGuards,
} from '@nestjs/common';
import type { Response } from 'express';
import { ListQuery, ParseControllerIdPipe, ParseItemsPipe } from '@fleetwave/platform';
import { callerMessage } from '../../auth/authorize';
import { ManagementApiGuard, type AuthorizedRequest } from '../../auth/management-api.guard';
import { BACKENDS, type Backends } from '../../backends';
import { listMessage } from '../../rollouts/rollout-api';
import { renderItems, renderPage } from '../inventory-rendering';
import { renderDistributionSet } from '../repository/repository-rendering';
import { renderTargetTag } from '../target-catalog/target-catalog-rendering';
import { renderTarget } from './target-rendering';
import { CreateTargetDto, TargetTypeRefDto, UpdateTargetDto } from './targets.dto';

type Json = Record<string, unknown>;

const controllerId = new ParseControllerIdPipe();

/**
 * hawkBit's targets (`/rest/v1/targets…`), addressed by controllerId: shapes and validation here,
 * each route one handler of rollout-command's `Targets`, reached over the internal gRPC API.
 */
@UseGuards(ManagementApiGuard)
@Controller('rest/v1/targets')
export class TargetsController {
  constructor(@Inject(BACKENDS) private readonly backends: Backends) {}

  /** `q` in the target filter language, `sort` over the target fields, paged (50 by default, at most 500). */
  @Get()
  async list(@Query() query: ListQuery) {
    return renderPage(await this.backends.targets.call('ListTargets', listMessage(query)), renderTarget);
  }

  /** hawkBit's create: an array of targets, all or nothing; a known controllerId is a 409. */
  @Post()
  @HttpCode(201)
  async create(@Req() req: AuthorizedRequest, @Body(new ParseItemsPipe(CreateTargetDto)) targets: CreateTargetDto[]) {
    const answer = await this.backends.targets.call('CreateTargets', {
      caller: callerMessage(req.caller),
      targets: targets.map((t) => ({
        controllerId: t.controllerId,
        name: t.name,
        description: t.description,
        targetType: t.targetType,
      })),
    });
    return renderItems(answer, renderTarget);
  }

  @Get(':controllerId')
  async get(@Param('controllerId', controllerId) target: string) {
    return renderTarget(await this.backends.targets.call('GetTarget', { controllerId: target }));
  }

  /** Name, description and type change; what the body leaves out stays as it is. */
  @Put(':controllerId')
  async update(
    @Req() req: AuthorizedRequest,
    @Param('controllerId', controllerId) target: string,
    @Body() body: UpdateTargetDto,
  ) {
    const answer = await this.backends.targets.call('UpdateTarget', {
      caller: callerMessage(req.caller),
      controllerId: target,
      name: body.name,
      description: body.description,
      targetType: body.targetType,
    });
    return renderTarget(answer);
  }

  @Delete(':controllerId')
  @HttpCode(204)
  async remove(@Req() req: AuthorizedRequest, @Param('controllerId', controllerId) target: string): Promise<void> {
    await this.backends.targets.call('DeleteTarget', { caller: callerMessage(req.caller), controllerId: target });
  }

  /** The attributes the device reported, as a plain string map (hawkBit's MgmtTargetAttributes). */
  @Get(':controllerId/attributes')
  async attributes(@Param('controllerId', controllerId) target: string) {
    const answer = await this.backends.targets.call('GetAttributes', { controllerId: target });
    return answer.attributes ?? {};
  }

  /** The set assigned to the target (hawkBit's MgmtDistributionSet), or 204 when none is. */
  @Get(':controllerId/assignedDS')
  async assignedSet(@Param('controllerId', controllerId) target: string, @Res({ passthrough: true }) res: Response) {
    return this.setOf('GetAssignedSet', target, res);
  }

  /** The set installed on the target, or 204 when none is. */
  @Get(':controllerId/installedDS')
  async installedSet(@Param('controllerId', controllerId) target: string, @Res({ passthrough: true }) res: Response) {
    return this.setOf('GetInstalledSet', target, res);
  }

  /** The target's tags (hawkBit's list of MgmtTag, not paged). */
  @Get(':controllerId/tags')
  async tags(@Param('controllerId', controllerId) target: string) {
    return renderItems(await this.backends.targets.call('ListTags', { controllerId: target }), renderTargetTag);
  }

  @Post(':controllerId/targettype')
  @HttpCode(204)
  async assignType(
    @Req() req: AuthorizedRequest,
    @Param('controllerId', controllerId) target: string,
    @Body() body: TargetTypeRefDto,
  ): Promise<void> {
    await this.backends.targets.call('AssignType', {
      caller: callerMessage(req.caller),
      controllerId: target,
      targetType: body.id,
    });
  }

  @Delete(':controllerId/targettype')
  @HttpCode(204)
  async unassignType(@Req() req: AuthorizedRequest, @Param('controllerId', controllerId) target: string) {
    await this.backends.targets.call('UnassignType', { caller: callerMessage(req.caller), controllerId: target });
  }

  private async setOf(method: 'GetAssignedSet' | 'GetInstalledSet', target: string, res: Response) {
    const { set } = await this.backends.targets.call(method, { controllerId: target });
    if (set === undefined) {
      res.status(204);
      return undefined;
    }
    return renderDistributionSet(set as Json);
  }
}
