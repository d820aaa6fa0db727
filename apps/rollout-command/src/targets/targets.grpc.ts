import { Inject, Injectable } from '@nestjs/common';
import { InternalServices } from '@fleetwave/contracts';
import {
  callerOf,
  grpcServiceDefinition,
  idOf,
  pageQueryOf,
  ParseControllerIdPipe,
  unaryImplementation,
  type GrpcService,
  type Page,
} from '@fleetwave/platform';
import { DeployGroupTargets } from '../rollouts/queries/deploy-group-targets/deploy-group-targets.query';
import { CreateTargets, type NewTarget } from './commands/create-targets/create-targets.handler';
import { TargetChanges, type TargetChange } from './commands/update-target/target-changes';
import { TargetMetadata, type MetadataEntry } from './metadata/target-metadata';
import { TargetQueries } from './queries/list-targets/target-queries';

type Json = Record<string, unknown>;

const controllerIds = new ParseControllerIdPipe();
/** The request's controllerId, by the rule of a path's (1..256 characters, no NUL; else a 400). */
const controllerIdOf = (r: Json): string => controllerIds.transform(r.controllerId ?? '');
const textOf = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const typeOf = (value: unknown): number | undefined =>
  value === undefined || value === null ? undefined : idOf(value, 'TargetType');

const newTarget = (t: Json): NewTarget => ({
  controllerId: String(t.controllerId ?? ''),
  name: textOf(t.name),
  description: textOf(t.description),
  targetType: typeOf(t.targetType),
});
const change = (r: Json): TargetChange => ({
  name: textOf(r.name),
  description: textOf(r.description),
  targetType: typeOf(r.targetType),
});
const entryOf = (e: Json): MetadataEntry => ({ key: String(e.key ?? ''), value: String(e.value ?? '') });
const pageOf = <T>({ content, total }: Page<T>) => ({ content, total });

/**
 * `fleetwave.internal.v1.Targets`: each method is the one handler of its command or query
 * (targets, their types and metadata, a deploy group's targets).
 */
@Injectable()
export class TargetsGrpc {
  constructor(
    @Inject(TargetQueries) private readonly queries: TargetQueries,
    @Inject(CreateTargets) private readonly creates: CreateTargets,
    @Inject(TargetChanges) private readonly changes: TargetChanges,
    @Inject(TargetMetadata) private readonly metadata: TargetMetadata,
    @Inject(DeployGroupTargets) private readonly groups: DeployGroupTargets,
  ) {}

  service(): GrpcService {
    const { file, name } = InternalServices.targets;
    const user = (r: Json) => callerOf(r).user;
    return {
      definition: grpcServiceDefinition(file, name),
      implementation: unaryImplementation({
        ListTargets: async (r) => pageOf(await this.queries.list(pageQueryOf(r))),
        GetTarget: async (r) => this.queries.get(controllerIdOf(r)),
        CreateTargets: async (r) => ({
          items: await this.creates.create(((r.targets ?? []) as Json[]).map(newTarget), user(r)),
        }),
        UpdateTarget: async (r) => this.changes.update(controllerIdOf(r), change(r), user(r)),
        DeleteTarget: async (r) => {
          callerOf(r);
          await this.changes.remove(controllerIdOf(r));
          return {};
        },
        GetAttributes: async (r) => ({ attributes: await this.queries.attributes(controllerIdOf(r)) }),
        GetAssignedSet: async (r) => ({ set: await this.queries.assignedSet(controllerIdOf(r)) }),
        GetInstalledSet: async (r) => ({ set: await this.queries.installedSet(controllerIdOf(r)) }),
        ListTags: async (r) => ({ items: await this.queries.tags(controllerIdOf(r)) }),
        AssignType: async (r) => {
          await this.changes.assignType(controllerIdOf(r), idOf(r.targetType, 'TargetType'), user(r));
          return {};
        },
        UnassignType: async (r) => {
          await this.changes.unassignType(controllerIdOf(r), user(r));
          return {};
        },
        ListMetadata: async (r) => {
          const entries = await this.metadata.list(controllerIdOf(r));
          return { content: entries, total: entries.length };
        },
        GetMetadata: async (r) => this.metadata.get(controllerIdOf(r), String(r.key ?? '')),
        CreateMetadata: async (r) => ({
          items: await this.metadata.create(controllerIdOf(r), ((r.entries ?? []) as Json[]).map(entryOf), user(r)),
        }),
        UpdateMetadata: async (r) => {
          await this.metadata.update(controllerIdOf(r), String(r.key ?? ''), String(r.value ?? ''), user(r));
          return {};
        },
        DeleteMetadata: async (r) => {
          await this.metadata.remove(controllerIdOf(r), String(r.key ?? ''), user(r));
          return {};
        },
        ListGroupTargets: async (r) =>
          pageOf(
            await this.groups.list(idOf(r.rolloutId, 'Rollout'), idOf(r.groupId, 'RolloutGroup'), pageQueryOf(r.page)),
          ),
      }),
    };
  }
}

/** The handlers {@link TargetsGrpc} serves (providers of the module that serves it). */
export const targetsHandlers = [TargetQueries, CreateTargets, TargetChanges, TargetMetadata, DeployGroupTargets];
