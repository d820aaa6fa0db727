import { Injectable } from '@nestjs/common';
import { ProtoFiles } from '@fleetwave/contracts';
import { grpcServiceDefinition, idOf, pageQueryOf, unaryImplementation, type GrpcService } from '@fleetwave/platform';
import { PositionWaiter } from '../rollout-position/position-waiter';
import { RolloutQueries } from './rollout.queries';

/** Its full name in {@link ProtoFiles.internalRollouts}. */
export const ROLLOUT_QUERIES_SERVICE = 'fleetwave.internal.v1.RolloutQueries';

/**
 * `fleetwave.internal.v1.RolloutQueries`: the rollout queries and the read-your-writes wait, for
 * the gateway. Each method is the query handler the REST adapter uses too; views go out as they
 * are (the gateway renders them).
 */
@Injectable()
export class RolloutQueriesGrpc {
  constructor(
    private readonly queries: RolloutQueries,
    private readonly waiter: PositionWaiter,
  ) {}

  service(): GrpcService {
    return {
      definition: grpcServiceDefinition(ProtoFiles.internalRollouts, ROLLOUT_QUERIES_SERVICE),
      implementation: unaryImplementation({
        GetRollout: async (r) => this.queries.get(idOf(r.rolloutId, 'Rollout')),
        ListRollouts: async (r) => this.queries.list(pageQueryOf(r)),
        ListDeployGroups: async (r) => this.queries.listGroups(idOf(r.rolloutId, 'Rollout'), pageQueryOf(r.page)),
        GetDeployGroup: async (r) =>
          this.queries.getGroup(idOf(r.rolloutId, 'Rollout'), idOf(r.groupId, 'RolloutGroup')),
        AwaitPosition: async (r) => {
          const { revision, reached } = await this.waiter.waitFor(
            idOf(r.rolloutId, 'Rollout'),
            Number(r.atLeast ?? 0),
            Number(r.timeoutMs ?? 0),
          );
          return { revision, reached };
        },
      }),
    };
  }
}
