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

/** Reads CloudEvents attributes back; returns undefined when the mandatory ones are missing. */
export function fromCloudEventHeaders(
  headers: Record<string, HeaderValue> | undefined,
): CloudEventAttributes | undefined {
  const read = (name: string): string | undefined => {
    const value = headers?.[name];
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined ? undefined : first.toString();
  };
  const id = read('ce_id');
  const type = read('ce_type');
  if (!id || !type) return undefined;
  const revision = Number(read('ce_streamrevision') ?? NaN);
  return {
    id,
    type,
    source: read('ce_source') ?? 'unknown',
    time: read('ce_time') ?? new Date(0).toISOString(),
    subject: read('ce_subject'),
    ...(Number.isSafeInteger(revision) && revision >= 0 ? { streamRevision: revision } : {}),
    correlationId: read('correlation-id'),
    causationId: read('causation-id'),
  };
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

/** Reads one event of a batch; the reason says why it is not one (no id or type, not an object). */
export function fromCloudEventBatchEntry(
  value: unknown,
): { ok: true; attributes: CloudEventAttributes; data: unknown } | { ok: false; reason: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'batch entry is not a JSON object' };
  }
  const entry = value as Partial<Record<keyof CloudEventBatchEntry, unknown>>;
  const text = (field: unknown): string | undefined => (typeof field === 'string' ? field : undefined);
  const id = text(entry.id);
  const type = text(entry.type);
  if (!id || !type) return { ok: false, reason: 'batch entry has no id or type' };
  const revision = entry.streamrevision;
  return {
    ok: true,
    attributes: {
      id,
      type,
      source: text(entry.source) ?? 'unknown',
      time: text(entry.time) ?? new Date(0).toISOString(),
      subject: text(entry.subject),
      ...(Number.isSafeInteger(revision) && (revision as number) >= 0 ? { streamRevision: revision as number } : {}),
      correlationId: text(entry.correlationid),
      causationId: text(entry.causationid),
    },
    data: entry.data,
  };
}

/** Whether a message's headers say its value is a batch of events. */
export function isCloudEventBatch(headers: Record<string, HeaderValue> | undefined): boolean {
  const value = headers?.['content-type'];
  const first = Array.isArray(value) ? value[0] : value;
  return first !== undefined && first.toString() === CLOUD_EVENTS_BATCH_CONTENT_TYPE;
}
