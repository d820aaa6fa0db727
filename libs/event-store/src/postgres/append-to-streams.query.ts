import { assertExpectedRevision, priorAppendResult, type StoredEventLocation } from '../append.policy';
import type { AppendResult, SqlExecutor } from '../event-store.port';
import type { SerializedAppend } from '../event-size.policy';
import { EventIdGenerator } from './event-id.util';
import type { EventStoreTables } from './event-store.schema';
import { integerArrayLiteral, textArrayLiteral } from './sql-array.util';

const eventIds = new EventIdGenerator();

/**
 * Subscriptions deliver in (tx_id, position) order. That is stream order only if a transaction
 * appending to a stream has a higher xid than the one that wrote the stream's previous events.
 * A transaction that took its xid before that writer committed (it wrote something else first)
 * would break it, so its append is refused; a fresh transaction gets a higher xid and succeeds.
 */
export class LaterWriterConflict extends Error {
  constructor(
    readonly streamName: string,
    readonly currentRevision: number,
  ) {
    super(`stream ${streamName} was last written by a transaction that began after this one`);
  }
}

interface StreamRow {
  stream_name: string;
  revision: number;
  position: string;
  written_later: boolean;
}

interface PlannedEvent {
  streamName: string;
  revision: number;
  id: string;
  type: string;
  data: string;
  metadata: string;
  sizeBytes: number;
}

/**
 * Appends to many streams in the caller's transaction with a fixed number of statements,
 * whatever the number of streams: lock the existing stream rows, look up writer-supplied ids,
 * then one INSERT of all events that also advances `streams` and notifies subscribers.
 */
export async function appendToStreamsIn(
  tx: SqlExecutor,
  tables: EventStoreTables,
  appends: SerializedAppend[],
): Promise<AppendResult[]> {
  // Sorted so that concurrent multi-stream appends lock rows in one order and do not deadlock.
  const { rows: streamRows } = await tx.query<StreamRow>(
    `SELECT stream_name, revision, position, tx_id > pg_current_xact_id() AS written_later
       FROM ${tables.streams} WHERE stream_name = ANY($1::text[]) ORDER BY stream_name FOR UPDATE`,
    [textArrayLiteral(appends.map((append) => append.streamName))],
  );
  const streams = new Map(streamRows.map((row) => [row.stream_name, row]));
  const stored = await locateEvents(tx, tables, appends);

  const results = new Map<string, AppendResult>();
  const planned: PlannedEvent[] = [];
  for (const append of appends) {
    const stream = streams.get(append.streamName);
    // Without stored ids (the usual case: writers rarely supply them) nothing can be a repeat.
    const prior = stored.size === 0 ? undefined : priorAppendResult(append, stream?.revision, (id) => stored.get(id));
    if (prior) {
      results.set(append.streamName, prior);
      continue;
    }
    assertExpectedRevision(append.streamName, append.expectedRevision, stream?.revision);
    if (stream?.written_later) throw new LaterWriterConflict(append.streamName, stream.revision);
    const first = (stream?.revision ?? -1) + 1;
    append.events.forEach((event, index) =>
      planned.push({
        streamName: append.streamName,
        revision: first + index,
        id: event.id?.toLowerCase() ?? eventIds.next(),
        type: event.type,
        data: event.data,
        metadata: event.metadata,
        sizeBytes: event.sizeBytes,
      }),
    );
    // Appending nothing only checks the expected revision.
    if (append.events.length === 0) {
      results.set(append.streamName, {
        nextExpectedRevision: stream?.revision ?? -1,
        position: stream ? BigInt(stream.position) : -1n,
      });
    }
  }
  for (const written of await insertEvents(tx, tables, planned)) {
    results.set(written.streamName, { nextExpectedRevision: written.revision, position: written.position });
  }
  return appends.map((append) => results.get(append.streamName) as AppendResult);
}

async function locateEvents(
  tx: SqlExecutor,
  tables: EventStoreTables,
  appends: SerializedAppend[],
): Promise<Map<string, StoredEventLocation>> {
  const ids = appends.flatMap(({ events }) => events.flatMap(({ id }) => (id ? [id.toLowerCase()] : [])));
  if (ids.length === 0) return new Map();
  const { rows } = await tx.query<{ event_id: string; stream_name: string; revision: number; position: string }>(
    `SELECT event_id, stream_name, revision, position FROM ${tables.events} WHERE event_id = ANY($1::uuid[])`,
    [textArrayLiteral(ids)],
  );
  return new Map(
    rows.map((row) => [
      row.event_id,
      { streamName: row.stream_name, revision: row.revision, position: BigInt(row.position) },
    ]),
  );
}

async function insertEvents(
  tx: SqlExecutor,
  tables: EventStoreTables,
  events: PlannedEvent[],
): Promise<{ streamName: string; revision: number; position: bigint }[]> {
  if (events.length === 0) return [];
  // Data and metadata travel as newline-separated JSON (JSON.stringify never writes a raw
  // newline): as array parameters every payload would be escaped again in JavaScript and
  // unescaped by the server before its jsonb parse, costing more than the insert itself.
  // ORDER BY ord makes positions follow revisions (volatile defaults are computed after a sort),
  // so a stream's last event has its highest position. A stream appended from revision 0 had no
  // row when the first query looked (a concurrent creator's events make revision 0 conflict);
  // every other one has a row, locked by that query, which a plain UPDATE advances: cheaper
  // than an upsert's speculative insertion.
  // A CTE calling a volatile function runs once, so subscribers get one notification.
  const { rows } = await tx.query<{ stream_name: string; revision: number; position: string }>(
    `WITH input AS (
       SELECT stream_name, revision, event_id, type, data::jsonb, metadata::jsonb, payload_bytes, ord
         FROM ROWS FROM (
           unnest($1::text[]), unnest($2::int[]), unnest($3::uuid[]), unnest($4::text[]),
           string_to_table($5, E'\\n'), string_to_table($6, E'\\n'), unnest($7::int[])
         ) WITH ORDINALITY AS e(stream_name, revision, event_id, type, data, metadata, payload_bytes, ord)
     ), inserted AS (
       INSERT INTO ${tables.events} (stream_name, revision, event_id, type, data, metadata, payload_bytes)
       SELECT stream_name, revision, event_id, type, data, metadata, payload_bytes FROM input ORDER BY ord
       RETURNING stream_name, revision, position
     ), last AS (
       SELECT stream_name, max(revision) AS revision, max(position) AS position, min(revision) = 0 AS created
         FROM inserted GROUP BY stream_name
     ), advanced AS (
       UPDATE ${tables.streams} AS s
          SET revision = last.revision, position = last.position, tx_id = pg_current_xact_id()
         FROM last WHERE s.stream_name = last.stream_name AND NOT last.created
     ), created AS (
       INSERT INTO ${tables.streams} (stream_name, revision, position, tx_id)
       SELECT stream_name, revision, position, pg_current_xact_id() FROM last WHERE created
     ), notified AS (SELECT pg_notify($8, '') AS done)
     SELECT stream_name, revision, position FROM last CROSS JOIN notified`,
    [
      textArrayLiteral(events.map((e) => e.streamName)),
      integerArrayLiteral(events.map((e) => e.revision)),
      textArrayLiteral(events.map((e) => e.id)),
      textArrayLiteral(events.map((e) => e.type)),
      events.map((e) => e.data).join('\n'),
      events.map((e) => e.metadata).join('\n'),
      integerArrayLiteral(events.map((e) => e.sizeBytes)),
      tables.channel,
    ],
  );
  return rows.map((row) => ({ streamName: row.stream_name, revision: row.revision, position: BigInt(row.position) }));
}
