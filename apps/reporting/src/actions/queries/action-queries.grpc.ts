import { Inject, Injectable } from '@nestjs/common';
import { ProtoFiles } from '@fleetwave/contracts';
import { grpcServiceDefinition, idOf, pageQueryOf, unaryImplementation, type GrpcService } from '@fleetwave/platform';
import { NotFoundInReadModel } from '../../rollout-queries/not-found';
import { ActionQueries } from './action.queries';

/** Its full name in {@link ProtoFiles.internalActions}. */
export const ACTION_QUERIES_SERVICE = 'fleetwave.internal.v1.ActionQueries';

const controllerIdOf = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

/** `fleetwave.internal.v1.ActionQueries`: each method is one {@link ActionQueries} handler. */
@Injectable()
export class ActionQueriesGrpc {
  constructor(@Inject(ActionQueries) private readonly actions: ActionQueries) {}

  service(): GrpcService {
    return {
      definition: grpcServiceDefinition(ProtoFiles.internalActions, ACTION_QUERIES_SERVICE),
      implementation: unaryImplementation({
        ListActions: async (r) => this.actions.list(pageQueryOf(r.page), controllerIdOf(r.controllerId)),
        GetAction: async (r) => {
          const actionId = idOf(r.actionId, 'Action');
          const action = await this.actions.get(actionId, controllerIdOf(r.controllerId));
          if (!action) throw new NotFoundInReadModel('Action', actionId);
          return action;
        },
        ListActionStatuses: async (r) => {
          const actionId = idOf(r.actionId, 'Action');
          const statuses = await this.actions.statuses(String(r.controllerId ?? ''), actionId, pageQueryOf(r.page));
          if (!statuses) throw new NotFoundInReadModel('Action', actionId);
          return statuses;
        },
      }),
    };
  }
}
