import {
  renderGroup,
  renderRollout,
  toDefinitionMessage,
  type CreateRolloutDto,
  type UpdateRolloutDto,
} from '@fleetwave/contracts';
import { page, type ListQuery } from '@fleetwave/platform';
import { callerMessage as callerOf } from '../auth/authorize';
import type { User } from '../auth/users';
import type { Backends } from '../backends';

type Json = Record<string, unknown>;

/** The lifecycle commands that take a rollout and nothing else, by their REST verb. */
export const lifecycleCommands = {
  start: 'StartRollout',
  pause: 'PauseRollout',
  resume: 'ResumeRollout',
  stop: 'StopRollout',
  triggerNextGroup: 'TriggerNextGroup',
} as const;
export type LifecycleVerb = keyof typeof lifecycleCommands;

/** How long a write's answer waits for the read model to show it. */
export const READ_YOUR_WRITES_MS = 5_000;

/** A validated page request as the internal `ListQuery` message. */
export const listMessage = (query: ListQuery) => ({
  offset: query.offset,
  limit: query.limit,
  ...(query.sort ? { sort: query.sort } : {}),
  ...(query.q ? { q: query.q } : {}),
});

/**
 * The rollout API's application handlers in the gateway, one per command and query, for REST and
 * gRPC alike. Input arrives validated; each handler calls the owning service over the internal
 * API and answers with hawkBit's JSON. A write is answered once the read model has reached the
 * position the write returned (bounded), so the caller's next read shows it.
 */
export class RolloutApi {
  constructor(
    private readonly backends: Backends,
    private readonly readYourWritesMs = READ_YOUR_WRITES_MS,
  ) {}

  async create(caller: User, body: CreateRolloutDto): Promise<Json> {
    return this.written(
      await this.backends.commands.call('CreateRollout', {
        caller: callerOf(caller),
        definition: toDefinitionMessage(body),
      }),
    );
  }

  async update(caller: User, rolloutId: number, body: UpdateRolloutDto): Promise<Json> {
    return this.written(
      await this.backends.commands.call('UpdateRollout', {
        caller: callerOf(caller),
        rolloutId,
        name: body.name,
        ...(body.description !== undefined ? { description: body.description } : {}),
      }),
    );
  }

  async retry(caller: User, rolloutId: number): Promise<Json> {
    return this.written(await this.backends.commands.call('RetryRollout', { caller: callerOf(caller), rolloutId }));
  }

  async delete(caller: User, rolloutId: number): Promise<void> {
    await this.awaitRead(await this.backends.commands.call('DeleteRollout', { caller: callerOf(caller), rolloutId }));
  }

  async lifecycle(caller: User, verb: LifecycleVerb, rolloutId: number): Promise<void> {
    const position = await this.backends.commands.call(lifecycleCommands[verb], {
      caller: callerOf(caller),
      rolloutId,
    });
    await this.awaitRead(position);
  }

  async decide(caller: User, decision: 'approve' | 'deny', rolloutId: number, remark?: string): Promise<void> {
    const position = await this.backends.commands.call(decision === 'approve' ? 'ApproveRollout' : 'DenyRollout', {
      caller: callerOf(caller),
      rolloutId,
      ...(remark !== undefined ? { remark } : {}),
    });
    await this.awaitRead(position);
  }

  async get(rolloutId: number): Promise<Json> {
    return renderRollout(await this.backends.queries.call('GetRollout', { rolloutId }));
  }

  async list(query: ListQuery) {
    const { content, total } = await this.backends.queries.call('ListRollouts', listMessage(query));
    return page(((content ?? []) as Json[]).map(renderRollout), Number(total ?? 0));
  }

  async listGroups(rolloutId: number, query: ListQuery) {
    const { content, total } = await this.backends.queries.call('ListDeployGroups', {
      rolloutId,
      page: listMessage(query),
    });
    return page(((content ?? []) as Json[]).map(renderGroup), Number(total ?? 0));
  }

  async getGroup(rolloutId: number, groupId: number): Promise<Json> {
    return renderGroup(await this.backends.queries.call('GetDeployGroup', { rolloutId, groupId }));
  }

  /** Progress over time, its parameters as the client sent them (reporting reads them). */
  async progress(rolloutId: number, params: Record<string, string | undefined>): Promise<Json> {
    const given = Object.fromEntries(Object.entries(params).filter(([, v]) => typeof v === 'string'));
    return this.backends.queries.call('GetProgress', { rolloutId, ...given });
  }

  /** The decisions taken on the rollout, in order, each with the figures it was taken on. */
  async audit(rolloutId: number): Promise<Json[]> {
    const { entries } = await this.backends.queries.call('GetAudit', { rolloutId });
    return ((entries ?? []) as Json[]).map(({ figuresJson, ...entry }) => ({
      ...entry,
      ...(typeof figuresJson === 'string' ? { figures: JSON.parse(figuresJson) as unknown } : {}),
    }));
  }

  /** A written rollout's answer, once the read model shows the write. */
  private async written(answer: Json): Promise<Json> {
    await this.awaitRead((answer.position ?? {}) as Json);
    return renderRollout((answer.rollout ?? {}) as Json);
  }

  /**
   * Waits until reporting has projected the rollout's stream up to the written revision. A write
   * is answered either way: when the wait times out or reporting cannot be asked, the client may
   * read the state from before it, as it could from any eventually consistent read.
   */
  private async awaitRead(position: Json): Promise<void> {
    const rolloutId = Number(position.rolloutId ?? 0);
    if (!(rolloutId > 0) || position.revision === undefined || position.revision === null) return;
    await this.backends.queries
      .call(
        'AwaitPosition',
        { rolloutId, atLeast: Number(position.revision), timeoutMs: this.readYourWritesMs },
        this.readYourWritesMs + 2_000,
      )
      .catch(() => undefined);
  }
}
