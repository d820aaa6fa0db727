import type { SqlExecutor } from '@fleetwave/event-store';

/**
 * What a dispatch_work row asks for: create a group's scheduled actions, activate them, or
 * (its rollout ending) cancel its open ones.
 */
export type WorkKind = 'create' | 'activate' | 'cancel';

/** A claimed dispatch_work row (bigint columns arrive as text). */
export interface WorkItem {
  group_id: string;
  kind: WorkKind;
  rollout_id: string;
  /** Create: last target id done. Activate: last action id activated. Cancel: last action id seen. */
  after_id: string;
  chunks: number;
}

/** The channel a commit of new dispatch work notifies; one per schema, so test schemas stay apart. */
export const dispatchChannel = (schema: string): string => `${schema}_dispatch`;

/**
 * Tells every dispatch worker listening on the schema's channel that work is pending. Inside a
 * transaction the notification is delivered only at its commit, so a worker never wakes to look
 * for work it cannot see yet.
 */
export async function notifyDispatch(tx: SqlExecutor, schema: string): Promise<void> {
  await tx.query(`select pg_notify($1, '')`, [dispatchChannel(schema)]);
}

/**
 * Claims the next piece of pending work, locked for this transaction; rows other workers hold
 * are skipped, so instances share the queue without a global lock. Cancellation comes first (an
 * operator is waiting for the stop), then activation (its devices are waiting), then lower group
 * positions (group 1 of every rollout before group 2), then older rollouts. Creation and
 * activation are claimable only while their rollout has started and is not ending, an
 * activation only while the group's creation has actions beyond its cursor (or is done); a piece
 * that failed waits until its retry time.
 */
export async function claimWork(tx: SqlExecutor, schema: string): Promise<WorkItem | undefined> {
  const { rows } = await tx.query<WorkItem>(
    `select w.group_id, w.kind, w.rollout_id, w.after_id, w.chunks from ${schema}.dispatch_work w
      where not w.done and (w.retry_at is null or w.retry_at <= now())
        and (w.kind = 'cancel' or exists (
              select 1 from ${schema}.rollouts r where r.rollout_id = w.rollout_id and r.started and r.ending is null))
        and (w.kind <> 'activate' or not exists (
              select 1 from ${schema}.dispatch_work c
               where c.group_id = w.group_id and c.kind = 'create' and not c.done and c.frontier <= w.after_id))
      order by w.kind <> 'cancel', w.kind = 'create', w.position, w.rollout_id
      limit 1
      for update of w skip locked`,
  );
  return rows[0];
}

/**
 * A rollout ends (stop or delete): its creation and activation work ends where it stands, and
 * each of its groups gets cancel work from the first action on (again, when a stopped rollout is
 * deleted: its cancel becomes a force cancel). Rows a chunk holds are waited for, so no chunk of
 * the rollout commits after this. Returns how many cancel pieces were queued.
 */
export async function queueCancelWork(tx: SqlExecutor, schema: string, rolloutId: number): Promise<number> {
  // Cancel rows first, then the rest: a cancel chunk finishing meanwhile retires the rest itself,
  // so taking them in its order means neither waits for a row the other holds.
  const queued = await tx.query(
    `insert into ${schema}.dispatch_work (group_id, kind, rollout_id, position)
     select group_id, 'cancel', rollout_id, position from ${schema}.dispatch_work
      where rollout_id = $1 and kind = 'create'
     on conflict (group_id, kind) do update
       set after_id = 0, done = false, chunks = 0, attempts = 0, last_error = null, retry_at = null, updated_at = now()`,
    [rolloutId],
  );
  await retireWorkOfEnded(tx, schema, String(rolloutId));
  return queued.rowCount ?? 0;
}

/**
 * Ends an ending rollout's creation and activation work where it stands; run again when its
 * cancel work is done, for work queued after the ending (a group start consumed concurrently
 * with the stop), which the claim never takes.
 */
export async function retireWorkOfEnded(tx: SqlExecutor, schema: string, rolloutId: string): Promise<void> {
  await tx.query(
    `update ${schema}.dispatch_work set done = true, updated_at = now()
      where rollout_id = $1 and kind in ('create', 'activate') and not done`,
    [rolloutId],
  );
}

/** Moves a claimed row's cursor (and for creation its frontier) on, in the chunk's transaction. */
export async function advanceWork(
  tx: SqlExecutor,
  schema: string,
  item: WorkItem,
  progress: { afterId: string; frontier?: string; done: boolean },
): Promise<void> {
  await tx.query(
    `update ${schema}.dispatch_work
        set after_id = $3, frontier = greatest(frontier, coalesce($4::bigint, 0)), done = $5,
            chunks = chunks + 1, attempts = 0, last_error = null, retry_at = null, updated_at = now()
      where group_id = $1 and kind = $2`,
    [item.group_id, item.kind, progress.afterId, progress.frontier ?? null, progress.done],
  );
}

/**
 * How far the group's creation is: done (also when none is recorded, as for actions created
 * before creation ran in chunks) and its frontier, the last action id created so far.
 */
export async function creationState(
  tx: SqlExecutor,
  schema: string,
  groupId: string,
): Promise<{ done: boolean; frontier: string }> {
  const { rows } = await tx.query<{ done: boolean; frontier: string }>(
    `select done, frontier from ${schema}.dispatch_work where group_id = $1 and kind = 'create'`,
    [groupId],
  );
  return rows[0] ?? { done: true, frontier: '0' };
}

/**
 * Records a failed chunk outside its rolled-back transaction: the row goes to the back for a
 * while (backoff doubling with each attempt, bounded), so other work keeps flowing meanwhile.
 */
export async function recordFailure(
  executor: SqlExecutor,
  schema: string,
  item: Pick<WorkItem, 'group_id' | 'kind'>,
  error: string,
  maxRetryMs: number,
): Promise<void> {
  await executor.query(
    `update ${schema}.dispatch_work
        set attempts = attempts + 1, last_error = $3, updated_at = now(),
            retry_at = now() + least($4::int, 100 * power(2, least(attempts, 16))::int) * interval '1 millisecond'
      where group_id = $1 and kind = $2`,
    [item.group_id, item.kind, error.slice(0, 2_000), maxRetryMs],
  );
}

/** How a piece of work is named in health details: one per group and kind. */
export const workKey = (groupId: string | number, kind: string): string => `group ${groupId} ${kind}`;

/** Pieces whose last attempt failed and that are not done, as {@link workKey} keys. */
export async function failingWork(executor: SqlExecutor, schema: string): Promise<Set<string>> {
  const { rows } = await executor.query<{ group_id: string; kind: string }>(
    `select group_id, kind from ${schema}.dispatch_work where attempts > 0 and not done`,
  );
  return new Set(rows.map((r) => workKey(r.group_id, r.kind)));
}
