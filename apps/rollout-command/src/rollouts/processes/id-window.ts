import type { SqlExecutor } from '@fleetwave/event-store';

/**
 * How many target ids a creation page may look at past its cursor. A filter that matches few
 * targets would otherwise make one page walk the whole table to fill itself (seconds at a
 * million targets, in one transaction); with the window a page's work is bounded whatever the
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

/** One page of a keyset read over a window: its rows, how far it looked, and whether that was the end. */
export interface WindowPage<Row> {
  rows: Row[];
  /** The cursor to go on from: the last row's id when the page is full, else the window's end. */
  scannedTo: number;
  /** Nothing matching lies after `scannedTo`. */
  exhausted: boolean;
}

/** Reads the page of a window (`read` gets its end) and says where the next one starts. */
export async function readWindow<Row>(
  db: SqlExecutor,
  schema: string,
  afterId: number,
  limit: number,
  span: number,
  idOf: (row: Row) => number,
  read: (upTo: number) => Promise<Row[]>,
): Promise<WindowPage<Row>> {
  const window = await idWindow(db, schema, afterId, span);
  if (!window) return { rows: [], scannedTo: afterId, exhausted: true };
  const rows = await read(window.upTo);
  if (rows.length >= limit) return { rows, scannedTo: idOf(rows[rows.length - 1]), exhausted: false };
  return { rows, scannedTo: window.upTo, exhausted: window.last };
}
