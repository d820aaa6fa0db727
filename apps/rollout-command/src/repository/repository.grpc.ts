import { Inject, Injectable } from '@nestjs/common';
import { ProtoFiles } from '@fleetwave/contracts';
import {
  callerOf,
  grpcServiceDefinition,
  idOf,
  pageQueryOf,
  unaryImplementation,
  type GrpcService,
  type ServesGrpc,
} from '@fleetwave/platform';
import { CreateDistributionSets } from './commands/create-distribution-sets/create-distribution-sets.service';
import { SoftwareModules } from './commands/create-software-modules/software-modules.service';
import { DistributionSetManagement } from './commands/update-distribution-set/distribution-set-management.service';
import { DistributionSetLookup } from './queries/distribution-set.lookup';
import { DistributionSetTypes } from './types/distribution-set-types.service';
import { SoftwareModuleTypes } from './types/software-module-types.service';

/** Its full name in {@link ProtoFiles.internalRepository}. */
export const REPOSITORY_SERVICE = 'fleetwave.internal.v1.Repository';

type Json = Record<string, unknown>;

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const flag = (value: unknown): boolean | undefined => (typeof value === 'boolean' ? value : undefined);
const messages = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);
const ids = (value: unknown, entity: string): number[] =>
  (Array.isArray(value) ? value : []).map((id: unknown) => idOf(id, entity));
const items = <T>(list: T[]) => ({ items: list });
const done = () => ({});

/** A type's change: absent fields stay as they are. */
const typeChangeOf = (r: Json) => ({ description: text(r.description), colour: text(r.colour) });

/**
 * `fleetwave.internal.v1.Repository`: module and set types, software modules and distribution
 * sets; each method is the application handler of its command or query.
 */
@Injectable()
export class RepositoryGrpc implements ServesGrpc {
  constructor(
    @Inject(SoftwareModuleTypes) private readonly moduleTypes: SoftwareModuleTypes,
    @Inject(DistributionSetTypes) private readonly setTypes: DistributionSetTypes,
    @Inject(SoftwareModules) private readonly modules: SoftwareModules,
    @Inject(CreateDistributionSets) private readonly creation: CreateDistributionSets,
    @Inject(DistributionSetManagement) private readonly sets: DistributionSetManagement,
    @Inject(DistributionSetLookup) private readonly lookup: DistributionSetLookup,
  ) {}

  service(): GrpcService {
    return {
      definition: grpcServiceDefinition(ProtoFiles.internalRepository, REPOSITORY_SERVICE),
      implementation: unaryImplementation({
        ...this.moduleTypeMethods(),
        ...this.setTypeMethods(),
        ...this.moduleMethods(),
        ...this.setMethods(),
      }),
    };
  }

  private moduleTypeMethods() {
    const typeId = (r: Json) => idOf(r.id, 'SoftwareModuleType');
    return {
      ListSoftwareModuleTypes: async (r: Json) => this.moduleTypes.list(pageQueryOf(r)),
      GetSoftwareModuleType: async (r: Json) => this.moduleTypes.get(typeId(r)),
      CreateSoftwareModuleTypes: async (r: Json) => {
        const definitions = messages(r.types).map((t) => ({
          key: String(t.key ?? ''),
          name: String(t.name ?? ''),
          description: text(t.description),
          colour: text(t.colour),
          maxAssignments: Number(t.maxAssignments ?? 0),
          minArtifacts: typeof t.minArtifacts === 'number' ? t.minArtifacts : undefined,
        }));
        return items(await this.moduleTypes.create(definitions, callerOf(r).user));
      },
      UpdateSoftwareModuleType: async (r: Json) =>
        this.moduleTypes.update(typeId(r), typeChangeOf(r), callerOf(r).user),
      DeleteSoftwareModuleType: async (r: Json) => {
        callerOf(r);
        await this.moduleTypes.delete(typeId(r));
        return done();
      },
    };
  }

  private setTypeMethods() {
    const typeId = (r: Json) => idOf(r.id, 'DistributionSetType');
    return {
      ListDistributionSetTypes: async (r: Json) => this.setTypes.list(pageQueryOf(r)),
      GetDistributionSetType: async (r: Json) => this.setTypes.get(typeId(r)),
      ListMandatoryModuleTypes: async (r: Json) => items(await this.setTypes.moduleTypes(typeId(r), true)),
      ListOptionalModuleTypes: async (r: Json) => items(await this.setTypes.moduleTypes(typeId(r), false)),
      CreateDistributionSetTypes: async (r: Json) => {
        const definitions = messages(r.types).map((t) => ({
          key: String(t.key ?? ''),
          name: String(t.name ?? ''),
          description: text(t.description),
          colour: text(t.colour),
          mandatoryModuleTypeIds: ids(t.mandatoryModuleTypeIds, 'SoftwareModuleType'),
          optionalModuleTypeIds: ids(t.optionalModuleTypeIds, 'SoftwareModuleType'),
        }));
        return items(await this.setTypes.create(definitions, callerOf(r).user));
      },
      UpdateDistributionSetType: async (r: Json) => this.setTypes.update(typeId(r), typeChangeOf(r), callerOf(r).user),
      DeleteDistributionSetType: async (r: Json) => {
        callerOf(r);
        await this.setTypes.delete(typeId(r));
        return done();
      },
    };
  }

  private moduleMethods() {
    const moduleId = (r: Json) => idOf(r.id, 'SoftwareModule');
    return {
      ListSoftwareModules: async (r: Json) => this.modules.list(pageQueryOf(r)),
      GetSoftwareModule: async (r: Json) => this.modules.get(moduleId(r)),
      CreateSoftwareModules: async (r: Json) => {
        const definitions = messages(r.modules).map((m) => ({
          name: String(m.name ?? ''),
          version: String(m.version ?? ''),
          type: String(m.type ?? ''),
          vendor: text(m.vendor),
          description: text(m.description),
        }));
        return items(await this.modules.create(definitions, callerOf(r).user));
      },
      UpdateSoftwareModule: async (r: Json) =>
        this.modules.update(
          moduleId(r),
          { vendor: text(r.vendor), description: text(r.description), locked: flag(r.locked) },
          callerOf(r).user,
        ),
      DeleteSoftwareModule: async (r: Json) => {
        callerOf(r);
        await this.modules.delete(moduleId(r));
        return done();
      },
    };
  }

  private setMethods() {
    const setId = (r: Json) => idOf(r.id, 'DistributionSet');
    return {
      ListDistributionSets: async (r: Json) => this.sets.list(pageQueryOf(r)),
      GetDistributionSet: async (r: Json) => this.lookup.view(setId(r)),
      CreateDistributionSets: async (r: Json) => {
        const definitions = messages(r.sets).map((s) => ({
          name: String(s.name ?? ''),
          version: String(s.version ?? ''),
          type: text(s.type),
          description: text(s.description),
          locked: flag(s.locked),
          requiredMigrationStep: flag(s.requiredMigrationStep),
          moduleIds: ids(s.moduleIds, 'SoftwareModule'),
        }));
        return items(await this.creation.create(definitions, callerOf(r).user));
      },
      UpdateDistributionSet: async (r: Json) =>
        this.sets.update(
          setId(r),
          {
            name: text(r.name),
            version: text(r.version),
            description: text(r.description),
            locked: flag(r.locked),
            requiredMigrationStep: flag(r.requiredMigrationStep),
          },
          callerOf(r).user,
        ),
      DeleteDistributionSet: async (r: Json) => {
        callerOf(r);
        await this.sets.delete(setId(r));
        return done();
      },
      ListAssignedModules: async (r: Json) => this.sets.assignedModules(setId(r), pageQueryOf(r.page)),
      AssignModules: async (r: Json) => {
        await this.sets.assign(setId(r), ids(r.moduleIds, 'SoftwareModule'), callerOf(r).user);
        return done();
      },
      UnassignModule: async (r: Json) => {
        await this.sets.unassign(setId(r), idOf(r.moduleId, 'SoftwareModule'), callerOf(r).user);
        return done();
      },
    };
  }
}

/** The application handlers {@link RepositoryGrpc} serves (providers; DistributionSetLookup is wired with the rollouts). */
export const repositoryHandlers = [
  SoftwareModuleTypes,
  DistributionSetTypes,
  SoftwareModules,
  CreateDistributionSets,
  DistributionSetManagement,
];
