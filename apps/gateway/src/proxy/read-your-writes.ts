/**
 * What a successful rollout write must look like in the read model before the gateway answers,
 * so that the client's next read shows it:
 * - `exists`: a created rollout is there (any state);
 * - `modified`: a command, update or soft delete moved the rollout's lastModifiedAt to `since` or later;
 * - `modifiedOrGone`: a delete either soft-deleted the rollout (modified) or removed it (404).
 */
export type RolloutWait = { rolloutId: number; until: 'exists' | 'modified' | 'modifiedOrGone' };

const rolloutCommand = /^\/rest\/v1\/rollouts\/(\d+)\/\w+$/;
const rolloutResource = /^\/rest\/v1\/rollouts\/(\d+)$/;

/** The wait a successful rollout write needs; undefined for every other request. */
export function rolloutWaitFor(method: string, path: string, status: number, body: string): RolloutWait | undefined {
  const command = rolloutCommand.exec(path);
  const resource = rolloutResource.exec(path);
  // A create, or a command that creates another rollout (retry), answers 201 with the new id.
  if (method === 'POST' && status === 201 && (command || path === '/rest/v1/rollouts')) {
    const id = createdId(body);
    return id === undefined ? undefined : { rolloutId: id, until: 'exists' };
  }
  if (method === 'POST' && command) return { rolloutId: Number(command[1]), until: 'modified' };
  if (method === 'PUT' && resource) return { rolloutId: Number(resource[1]), until: 'modified' };
  if (method === 'DELETE' && resource) return { rolloutId: Number(resource[1]), until: 'modifiedOrGone' };
  return undefined;
}

/** Whether one read of the rollout from the read model (undefined: it answered 404) satisfies the wait. */
export function waitSatisfied(wait: RolloutWait, view: { lastModifiedAt: number } | undefined, since: number): boolean {
  if (view === undefined) return wait.until === 'modifiedOrGone';
  return wait.until === 'exists' || view.lastModifiedAt >= since;
}

function createdId(body: string): number | undefined {
  try {
    const id = (JSON.parse(body) as { id?: unknown } | null)?.id;
    return typeof id === 'number' ? id : undefined;
  } catch {
    return undefined;
  }
}
