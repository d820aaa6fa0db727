import { MAX_ENTITY_ID } from '@fleetwave/contracts';
import { entityNotFound, invalidParameter } from '../http/hawkbit-error';
import { Paging } from '../http/paging';

type Json = Record<string, unknown>;

/** An entity id of an internal request: an id no entity can have is an unknown one (404), as on REST. */
export function idOf(value: unknown, entity: string): number {
  const id = Number(value ?? 0);
  if (!Number.isSafeInteger(id) || id < 1 || id > MAX_ENTITY_ID) throw entityNotFound(entity, String(value));
  return id;
}

/** The caller of an internal command: who, and the permissions the gateway found they hold. */
export function callerOf(request: Json): { user: string; permissions: string[] } {
  const caller = (request.caller ?? {}) as { user?: unknown; permissions?: unknown };
  if (typeof caller.user !== 'string' || caller.user.length === 0) throw invalidParameter('caller.user is required');
  const permissions = Array.isArray(caller.permissions) ? caller.permissions.map(String) : [];
  return { user: caller.user, permissions };
}

/** A `ListQuery` message as a page request, with REST's defaults and bounds. */
export function pageQueryOf(message: unknown): { offset: number; limit: number; sort?: string; q?: string } {
  const m = (message ?? {}) as Json;
  const offset = Number(m.offset ?? 0);
  const limit = Number(m.limit ?? Paging.defaultLimit);
  if (!Number.isSafeInteger(offset) || offset < 0) throw invalidParameter('offset must be a non-negative integer');
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > Paging.maxLimit) {
    throw invalidParameter(`limit must be an integer from 1 to ${Paging.maxLimit}`);
  }
  const text = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
  return { offset, limit, sort: text(m.sort), q: text(m.q) };
}
