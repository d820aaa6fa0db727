/** Kafka headers of the CloudEvents Kafka binding (binary mode) plus correlation headers. */
export interface CloudEventAttributes {
  id: string;
  type: string;
  source: string;
  time: string;
  subject?: string;
  /**
   * Extension attribute `streamrevision`: the event's revision in its stream (the subject), so a
   * read model can tell how far into a stream it has projected.
   */
  streamRevision?: number;
  correlationId?: string;
  causationId?: string;
}

export function toCloudEventHeaders(attrs: CloudEventAttributes): Record<string, string> {
  const headers: Record<string, string> = {
    ce_specversion: '1.0',
    ce_id: attrs.id,
    ce_type: attrs.type,
    ce_source: attrs.source,
    ce_time: attrs.time,
    'content-type': 'application/json',
  };
  if (attrs.subject) headers.ce_subject = attrs.subject;
  if (attrs.streamRevision !== undefined) headers.ce_streamrevision = String(attrs.streamRevision);
  if (attrs.correlationId) headers['correlation-id'] = attrs.correlationId;
  if (attrs.causationId) headers['causation-id'] = attrs.causationId;
  return headers;
}

type HeaderValue = Buffer | string | (Buffer | string)[] | undefined;

/** The first value of a header as text, or undefined. */
function headerText(headers: Record<string, HeaderValue> | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

/**
 * Attributes from where they were carried (headers or a batch entry), by reader: the defaults
 * for a missing source or time, and a stream revision only when it is a non-negative integer.
 * Undefined when the mandatory id or type is missing.
 */
function attributesFrom(
  read: (name: 'id' | 'type' | 'source' | 'time' | 'subject' | 'correlationId' | 'causationId') => string | undefined,
  revision: unknown,
): CloudEventAttributes | undefined {
  const id = read('id');
  const type = read('type');
  if (!id || !type) return undefined;
  return {
    id,
    type,
    source: read('source') ?? 'unknown',
    time: read('time') ?? new Date(0).toISOString(),
    subject: read('subject'),
    ...(Number.isSafeInteger(revision) && (revision as number) >= 0 ? { streamRevision: revision as number } : {}),
    correlationId: read('correlationId'),
    causationId: read('causationId'),
  };
}

const headerNames = {
  id: 'ce_id',
  type: 'ce_type',
  source: 'ce_source',
  time: 'ce_time',
  subject: 'ce_subject',
  correlationId: 'correlation-id',
  causationId: 'causation-id',
} as const;

/** Reads CloudEvents attributes back; returns undefined when the mandatory ones are missing. */
export function fromCloudEventHeaders(
  headers: Record<string, HeaderValue> | undefined,
): CloudEventAttributes | undefined {
  return attributesFrom(
    (name) => headerText(headers, headerNames[name]),
    Number(headerText(headers, 'ce_streamrevision') ?? NaN),
  );
}

/**
 * Content type of a message in the CloudEvents batched content mode: the value is a JSON array
 * of events, each in structured mode (its attributes beside its `data`). A relay packs many
 * small events of one key into one such message; consumers read each event as if it had come
 * alone, under its own id.
 */
export const CLOUD_EVENTS_BATCH_CONTENT_TYPE = 'application/cloudevents-batch+json';

/** One event of a batch: the attributes by their CloudEvents names, and the data. */
export interface CloudEventBatchEntry {
  specversion: '1.0';
  id: string;
  type: string;
  source: string;
  time: string;
  subject?: string;
  streamrevision?: number;
  correlationid?: string;
  causationid?: string;
  data: unknown;
}

export function toCloudEventBatchEntry(attrs: CloudEventAttributes, data: unknown): CloudEventBatchEntry {
  const entry: CloudEventBatchEntry = {
    specversion: '1.0',
    id: attrs.id,
    type: attrs.type,
    source: attrs.source,
    time: attrs.time,
    data,
  };
  if (attrs.subject) entry.subject = attrs.subject;
  if (attrs.streamRevision !== undefined) entry.streamrevision = attrs.streamRevision;
  if (attrs.correlationId) entry.correlationid = attrs.correlationId;
  if (attrs.causationId) entry.causationid = attrs.causationId;
  return entry;
}

const entryNames = {
  id: 'id',
  type: 'type',
  source: 'source',
  time: 'time',
  subject: 'subject',
  correlationId: 'correlationid',
  causationId: 'causationid',
} as const;

/** Reads one event of a batch; the reason says why it is not one (no id or type, not an object). */
export function fromCloudEventBatchEntry(
  value: unknown,
): { ok: true; attributes: CloudEventAttributes; data: unknown } | { ok: false; reason: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'batch entry is not a JSON object' };
  }
  const entry = value as Partial<Record<keyof CloudEventBatchEntry, unknown>>;
  const field = (name: keyof CloudEventBatchEntry): string | undefined =>
    typeof entry[name] === 'string' ? (entry[name] as string) : undefined;
  const attributes = attributesFrom((name) => field(entryNames[name]), entry.streamrevision);
  if (!attributes) return { ok: false, reason: 'batch entry has no id or type' };
  return { ok: true, attributes, data: entry.data };
}

/** Whether a message's headers say its value is a batch of events. */
export function isCloudEventBatch(headers: Record<string, HeaderValue> | undefined): boolean {
  return headerText(headers, 'content-type') === CLOUD_EVENTS_BATCH_CONTENT_TYPE;
}
