import { Injectable, Optional } from '@nestjs/common';
import { ProtoFiles } from '@fleetwave/contracts';
import { grpcServiceDefinition, idOf, pageQueryOf, unaryImplementation, type GrpcService } from '@fleetwave/platform';
import { AuditQueries } from '../rollout-audit/audit.queries';
import { seriesQueryOf } from '../rollout-history/progress-parameters';
import { ProgressQueries } from '../rollout-history/progress.queries';
import { PositionWaiter } from '../rollout-position/position-waiter';
import { RolloutQueries } from './rollout.queries';

/** Its full name in {@link ProtoFiles.internalRollouts}. */
export const ROLLOUT_QUERIES_SERVICE = 'fleetwave.internal.v1.RolloutQueries';

/**
 * `fleetwave.internal.v1.RolloutQueries`: the rollout queries, progress and audit, and the
 * read-your-writes wait, for the gateway. Each method is one query handler; views go out as they
 * are (the gateway renders them).
 */
@Injectable()
export class RolloutQueriesGrpc {
  constructor(
    private readonly queries: RolloutQueries,
    private readonly waiter: PositionWaiter,
    @Optional() private readonly progress?: ProgressQueries,
    @Optional() private readonly audits?: AuditQueries,
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
        GetProgress: async (r) => {
          const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
          return this.served(this.progress).series(
            idOf(r.rolloutId, 'Rollout'),
            seriesQueryOf({
              group: text(r.group),
              from: text(r.from),
              to: text(r.to),
              bucketSeconds: text(r.bucketSeconds),
            }),
          );
        },
        GetAudit: async (r) => {
          const entries = await this.served(this.audits).audit(idOf(r.rolloutId, 'Rollout'));
          return {
            entries: entries.map(({ figures, ...entry }) => ({
              ...entry,
              ...(figures !== undefined ? { figuresJson: JSON.stringify(figures) } : {}),
            })),
          };
        },
      }),
    };
  }

  /** A query this module was wired with (every one is, in the service). */
  private served<T>(queries: T | undefined): T {
    if (!queries) throw new Error('this query is not wired here');
    return queries;
  }
}
