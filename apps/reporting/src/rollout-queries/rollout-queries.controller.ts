import { Controller, Get, Param, Query } from '@nestjs/common';
import { renderGroup, renderRollout } from '@fleetwave/contracts';
import { ListQuery, page, ParseIdPipe } from '@fleetwave/platform';
import { RolloutQueries } from './rollout.queries';

const parseRolloutId = new ParseIdPipe('Rollout');
const parseGroupId = new ParseIdPipe('RolloutGroup');

/**
 * REST adapter of the rollout and deployment-group queries, inside the cluster (the gateway asks
 * reporting over the internal gRPC API; see rollout-queries.grpc.ts). Path ids go through
 * {@link ParseIdPipe}; list queries arrive validated, with their defaults, from the global pipe.
 */
@Controller('rest/v1/rollouts')
export class RolloutQueriesController {
  constructor(private readonly queries: RolloutQueries) {}

  @Get()
  async list(@Query() query: ListQuery) {
    const { content, total } = await this.queries.list(query);
    return page(content.map(renderRollout), total);
  }

  @Get(':id')
  async get(@Param('id', parseRolloutId) id: number) {
    return renderRollout(await this.queries.get(id));
  }

  @Get(':id/deploygroups')
  async listGroups(@Param('id', parseRolloutId) id: number, @Query() query: ListQuery) {
    const { content, total } = await this.queries.listGroups(id, query);
    return page(content.map(renderGroup), total);
  }

  @Get(':id/deploygroups/:groupId')
  async getGroup(@Param('id', parseRolloutId) id: number, @Param('groupId', parseGroupId) groupId: number) {
    return renderGroup(await this.queries.getGroup(id, groupId));
  }
}
