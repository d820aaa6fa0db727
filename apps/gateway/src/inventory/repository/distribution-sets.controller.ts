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
import { ListQuery, ParseIdPipe, ParseItemsPipe } from '@fleetwave/platform';
import { callerMessage } from '../../auth/authorize';
import { ManagementApiGuard, type AuthorizedRequest } from '../../auth/management-api.guard';
import { BACKENDS, type Backends } from '../../backends';
import { listMessage } from '../../rollouts/rollout-api';
import { renderItems, renderPage } from '../inventory-rendering';
import {
  CreateDistributionSetDto,
  distributionSetChange,
  distributionSetDefinition,
  MAX_MODULES_PER_SET,
  ModuleRefDto,
  UpdateDistributionSetDto,
} from './repository.dto';
import { renderDistributionSet, renderSoftwareModule } from './repository-rendering';

const setId = new ParseIdPipe('DistributionSet');
const moduleId = new ParseIdPipe('SoftwareModule');

/**
 * hawkBit's distribution sets (`/rest/v1/distributionsets`) and their modules (`assignedSM`),
 * served by rollout-command's `Repository`. A locked set's modules cannot change (423).
 */
@UseGuards(ManagementApiGuard)
@Controller('rest/v1/distributionsets')
export class DistributionSetsController {
  constructor(@Inject(BACKENDS) private readonly backends: Backends) {}

  /** An array of sets; an unknown type or module is a 404, a taken name and version a 409. */
  @Post()
  @HttpCode(201)
  async create(
    @Req() req: AuthorizedRequest,
    @Body(new ParseItemsPipe(CreateDistributionSetDto)) sets: CreateDistributionSetDto[],
  ) {
    const answer = await this.backends.repository.call('CreateDistributionSets', {
      caller: callerMessage(req.caller),
      sets: sets.map(distributionSetDefinition),
    });
    return renderItems(answer, renderDistributionSet);
  }

  @Get()
  async list(@Query() query: ListQuery) {
    return renderPage(
      await this.backends.repository.call('ListDistributionSets', listMessage(query)),
      renderDistributionSet,
    );
  }

  @Get(':id')
  async get(@Param('id', setId) id: number) {
    return renderDistributionSet(await this.backends.repository.call('GetDistributionSet', { id }));
  }

  @Put(':id')
  async update(@Req() req: AuthorizedRequest, @Param('id', setId) id: number, @Body() body: UpdateDistributionSetDto) {
    const answer = await this.backends.repository.call('UpdateDistributionSet', {
      caller: callerMessage(req.caller),
      id,
      ...distributionSetChange(body),
    });
    return renderDistributionSet(answer);
  }

  /** A set a rollout used (locked) stays readable as deleted; any other is removed. */
  @Delete(':id')
  @HttpCode(204)
  async delete(@Req() req: AuthorizedRequest, @Param('id', setId) id: number): Promise<void> {
    await this.backends.repository.call('DeleteDistributionSet', { caller: callerMessage(req.caller), id });
  }

  @Get(':id/assignedSM')
  async assignedModules(@Param('id', setId) id: number, @Query() query: ListQuery) {
    const answer = await this.backends.repository.call('ListAssignedModules', { id, page: listMessage(query) });
    return renderPage(answer, renderSoftwareModule);
  }

  @Post(':id/assignedSM')
  @HttpCode(204)
  async assignModules(
    @Req() req: AuthorizedRequest,
    @Param('id', setId) id: number,
    @Body(new ParseItemsPipe(ModuleRefDto, MAX_MODULES_PER_SET)) refs: ModuleRefDto[],
  ): Promise<void> {
    await this.backends.repository.call('AssignModules', {
      caller: callerMessage(req.caller),
      id,
      moduleIds: refs.map((ref) => ref.id),
    });
  }

  @Delete(':id/assignedSM/:moduleId')
  @HttpCode(204)
  async unassignModule(
    @Req() req: AuthorizedRequest,
    @Param('id', setId) id: number,
    @Param('moduleId', moduleId) module: number,
  ): Promise<void> {
    await this.backends.repository.call('UnassignModule', { caller: callerMessage(req.caller), id, moduleId: module });
  }
}
