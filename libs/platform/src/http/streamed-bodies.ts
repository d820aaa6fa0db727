import type { IncomingMessage } from 'node:http';

/**
 * Injection token of the {@link StreamedBodyRule}s an application declares (a provider of its
 * root module). A request a rule matches keeps its body unread at the edge, whatever its media
 * type, so that its route can stream it (multipart uploads of any size) instead of the edge
 * refusing it as non-JSON.
 */
export const STREAMED_BODIES = Symbol('STREAMED_BODIES');

/** Whether a request's body is read by its route as a stream. */
export type StreamedBodyRule = (req: IncomingMessage) => boolean;

/** A rule for multipart bodies sent with `method` to a path (query string aside) that `path` matches. */
export const multipartRoute =
  (method: string, path: RegExp): StreamedBodyRule =>
  (req) =>
    req.method === method &&
    /^multipart\/form-data\s*(;|$)/i.test(req.headers['content-type'] ?? '') &&
    path.test((req.url ?? '').split('?')[0]);
