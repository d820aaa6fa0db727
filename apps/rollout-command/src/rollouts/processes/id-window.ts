import type { SqlExecutor } from '@fleetwave/event-store';

/**
 * How many target ids a creation page may look at past its cursor. A filter that matches few
 * targets would otherwise make one page walk the whole table to fill itself (seconds at a
 * million targets, in one transaction); with windows a page's work is bounded whatever the
 * filter, and a page may come back short (or empty) without the set being done.
 */
export const PAGE_SCAN_SPAN = 50_000;

/** The ids a page may look at: those after the cursor up to `upTo`; `last` when no target lies beyond. */
export interface IdWindow {
  upTo: number;
  last: boolean;
}

/** The window of the next `span` target ids after `afterId`; undefined when there is no target after it. */
export async function idWindow(db: SqlExecutor, schema: string, afterId: number, span: number) {
  const { rows } = await db.query<{ up_to: string | null; n: string }>(
    `select max(id) as up_to, count(*) as n
     from (select id from ${schema}.targets where id > $1 order by id limit $2) w`,
    [afterId, span],
  );
  const upTo = rows[0].up_to;
  return upTo === null ? undefined : ({ upTo: Number(upTo), last: Number(rows[0].n) < span } satisfies IdWindow);
}

/** One page of a keyset read over windows: its rows, how far it looked, and whether that was the end. */
export interface WindowPage<Row> {
  rows: Row[];
  /** The cursor to go on from: the last row's id when the page is full, else the last window's end. */
  scannedTo: number;
  /** Nothing matching lies after `scannedTo`. */
  exhausted: boolean;
}

/** How long one page goes on to further windows while it has found too few rows. */
export const PAGE_TIME_BUDGET_MS = 250;

/**
 * Reads a page window by window (`read` gets the window's bounds and how many rows are still
 * wanted) until it is full, the ids run out, or the time budget is spent, so that a sparse
 * filter does not cost one transaction per empty window, nor one long transaction.
 */
export async function readWindows<Row>(
  db: SqlExecutor,
  schema: string,
  page: { afterId: number; limit: number; span: number; budgetMs: number },
  idOf: (row: Row) => number,
  read: (afterId: number, upTo: number, limit: number) => Promise<Row[]>,
): Promise<WindowPage<Row>> {
  const started = Date.now();
  const rows: Row[] = [];
  let after = page.afterId;
  for (;;) {
    const window = await idWindow(db, schema, after, page.span);
    if (!window) return { rows, scannedTo: after, exhausted: true };
    rows.push(...(await read(after, window.upTo, page.limit - rows.length)));
    if (rows.length >= page.limit) return { rows, scannedTo: idOf(rows[rows.length - 1]), exhausted: false };
    after = window.upTo;
    if (window.last) return { rows, scannedTo: after, exhausted: true };
    if (Date.now() - started >= page.budgetMs) return { rows, scannedTo: after, exhausted: false };
  }
}
