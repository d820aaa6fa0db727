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
