import { Inject, Injectable } from '@nestjs/common';
import { InternalServices, ProtoFiles } from '@fleetwave/contracts';
import {
  callerOf,
  grpcServiceDefinition,
  idOf,
  pageQueryOf,
  unaryImplementation,
  type GrpcService,
  type Page,
} from '@fleetwave/platform';
import { TargetFilters } from './saved-filters/target-filters.service';
import { notFoundPolicyOf, TargetTags } from './target-tags/target-tags.service';
import { TargetTypes } from './target-types/target-types.service';

type Json = Record<string, unknown>;

/** An optional string field: absent (or not a string) is undefined. */
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const items = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);
const pageOf = <V>({ content, total }: Page<V>) => ({ content, total });
const done = {};

/**
 * `fleetwave.internal.v1.TargetCatalog`: target types, target tags (and their targets) and saved
 * target filters; each method is one handler of {@link TargetTypes}, {@link TargetTags} or
 * {@link TargetFilters}.
 */
@Injectable()
export class TargetCatalogGrpc {
  constructor(
    @Inject(TargetTypes) private readonly types: TargetTypes,
    @Inject(TargetTags) private readonly tags: TargetTags,
    @Inject(TargetFilters) private readonly filters: TargetFilters,
  ) {}

  service(): GrpcService {
    const typeId = (r: Json) => idOf(r.id, 'TargetType');
    const tagId = (value: unknown) => idOf(value, 'TargetTag');
    const filterId = (r: Json) => idOf(r.id, 'TargetFilterQuery');
    const fields = (r: Json) => ({ name: text(r.name), description: text(r.description), colour: text(r.colour) });
    const assignment = (how: 'assign' | 'unassign') => async (r: Json) => {
      const { user } = callerOf(r);
      const ids = (Array.isArray(r.controllerIds) ? r.controllerIds : []).map(String);
      await this.tags.change(tagId(r.tagId), ids, how, notFoundPolicyOf(r.onNotFoundPolicy), user);
      return done;
    };
    return {
      definition: grpcServiceDefinition(ProtoFiles.internalTargetCatalog, InternalServices.catalog.name),
      implementation: unaryImplementation({
        ListTargetTypes: async (r) => pageOf(await this.types.list(pageQueryOf(r))),
        GetTargetType: (r) => this.types.get(typeId(r)),
        ListCompatibleSetTypes: async (r) => ({ items: await this.types.compatibleSetTypes(typeId(r)) }),
        CreateTargetTypes: async (r) => {
          const { user } = callerOf(r);
          const types = items(r.types).map((t) => ({
            name: String(t.name ?? ''),
            key: text(t.key),
            description: text(t.description),
            colour: text(t.colour),
            compatibleSetTypeIds: items(t.compatibleSetTypeIds).map(Number),
          }));
          return { items: await this.types.create(types, user) };
        },
        UpdateTargetType: async (r) => this.types.update(typeId(r), fields(r), callerOf(r).user),
        DeleteTargetType: async (r) => {
          callerOf(r);
          await this.types.remove(typeId(r));
          return done;
        },

        ListTargetTags: async (r) => pageOf(await this.tags.list(pageQueryOf(r))),
        GetTargetTag: (r) => this.tags.get(tagId(r.id)),
        CreateTargetTags: async (r) => {
          const { user } = callerOf(r);
          const tags = items(r.tags).map((t) => ({ ...fields(t), name: String(t.name ?? '') }));
          return { items: await this.tags.create(tags, user) };
        },
        UpdateTargetTag: async (r) => this.tags.update(tagId(r.id), fields(r), callerOf(r).user),
        DeleteTargetTag: async (r) => {
          callerOf(r);
          await this.tags.remove(tagId(r.id));
          return done;
        },
        ListTaggedTargets: async (r) => pageOf(await this.tags.taggedTargets(tagId(r.id), pageQueryOf(r.page))),
        AssignTargetTag: assignment('assign'),
        UnassignTargetTag: assignment('unassign'),

        ListTargetFilters: async (r) => pageOf(await this.filters.list(pageQueryOf(r))),
        GetTargetFilter: (r) => this.filters.get(filterId(r)),
        CreateTargetFilter: async (r) =>
          this.filters.create({ name: String(r.name ?? ''), query: String(r.query ?? '') }, callerOf(r).user),
        UpdateTargetFilter: async (r) =>
          this.filters.update(filterId(r), { name: text(r.name), query: text(r.query) }, callerOf(r).user),
        DeleteTargetFilter: async (r) => {
          callerOf(r);
          await this.filters.remove(filterId(r));
          return done;
        },
      }),
    };
  }
}

/** The catalog's application handlers, which {@link TargetCatalogGrpc} serves (providers). */
export const targetCatalogHandlers = [TargetTypes, TargetTags, TargetFilters];
