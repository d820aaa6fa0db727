import { Body, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ListQuery, ParseIdPipe, ParseItemsPipe } from '@fleetwave/platform';
import { callerMessage } from '../../auth/authorize';
import type { AuthorizedRequest } from '../../auth/management-api.guard';
import { listMessage } from '../../rollouts/rollout-api';
import { renderPage } from '../inventory-rendering';
import { entityRoutes } from '../entity-routes';
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
export class DistributionSetsController extends entityRoutes({
  path: 'distributionsets',
  backend: 'repository',
  id: setId,
  render: renderDistributionSet,
  list: 'ListDistributionSets',
  get: 'GetDistributionSet',
  /** An array of sets; an unknown type or module is a 404, a taken name and version a 409. */
  create: {
    method: 'CreateDistributionSets',
    items: CreateDistributionSetDto,
    field: 'sets',
    definition: distributionSetDefinition,
  },
  update: { method: 'UpdateDistributionSet', body: UpdateDistributionSetDto, change: distributionSetChange },
  /** A set a rollout used (locked) stays readable as deleted; any other is removed. */
  delete: 'DeleteDistributionSet',
}) {
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
