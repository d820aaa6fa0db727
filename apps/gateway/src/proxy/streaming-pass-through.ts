import {
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import { multipartRoute, type StreamedBodyRule } from '@fleetwave/platform';

/** Artifact uploads: multipart bodies the gateway's edge leaves unread, for the proxy to stream on. */
export const streamedUploads: StreamedBodyRule[] = [
  multipartRoute('POST', /^\/rest\/v1\/softwaremodules\/\d+\/artifacts\/?$/),
];

const download = /^\/rest\/v1\/softwaremodules\/\d+\/artifacts\/\d+\/download\/?$/;

/** Whether a request and its answer go through as streams: uploads of artifacts and their downloads. */
export function isStreamed(req: Request, path: string): boolean {
  return (
    streamedUploads.some((rule) => rule(req)) ||
    ((req.method === 'GET' || req.method === 'HEAD') && download.test(path))
  );
}

const requestHeaders = [
  'content-type',
  'content-length',
  'transfer-encoding',
  'range',
  'if-range',
  'if-none-match',
  'accept',
];
const responseHeaders = [
  'content-type',
  'content-length',
  'content-disposition',
  'content-range',
  'accept-ranges',
  'etag',
  'last-modified',
  'connection',
];

/** No bytes either way for this long ends the exchange (a whole transfer may take longer). */
const IDLE_TIMEOUT_MS = 60_000;

const pick = (headers: IncomingHttpHeaders, names: string[]): OutgoingHttpHeaders =>
  Object.fromEntries(names.flatMap((name) => (headers[name] === undefined ? [] : [[name, headers[name]]])));

/**
 * Forwards a request to `url` and its answer back as streams, never holding a whole body: the
 * bytes flow at the pace of the slower side. Resolves when the exchange is over. `unreachable`
 * answers when the upstream cannot be reached before any of its answer arrived; a client that
 * goes away ends the upstream request too.
 */
export function passThrough(
  req: Request,
  res: Response,
  url: string,
  identity: Record<string, string>,
  unreachable: (cause: Error) => void,
): Promise<void> {
  return new Promise((resolve) => {
    const target = new URL(url);
    const upstream = (target.protocol === 'https:' ? httpsRequest : httpRequest)(target, {
      method: req.method,
      headers: { ...pick(req.headers, requestHeaders), ...identity },
    });
    let answered = false;
    upstream.setTimeout(IDLE_TIMEOUT_MS, () => upstream.destroy(new Error('upstream idle too long')));
    upstream.on('response', (answer: IncomingMessage) => {
      answered = true;
      res.status(answer.statusCode ?? 502);
      for (const [name, value] of Object.entries(pick(answer.headers, responseHeaders))) {
        if (value !== undefined) res.setHeader(name, value);
      }
      // An upstream that stops mid-answer leaves a short body; the client sees it by its length.
      pipeline(answer, res).then(resolve, () => {
        res.destroy();
        resolve();
      });
    });
    upstream.on('error', (cause) => {
      if (!answered && !res.headersSent) {
        unreachable(cause);
        resolve();
      } else if (!res.writableFinished) {
        res.destroy();
        resolve();
      }
    });
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    // An upstream that answers before the body's end (a refusal) breaks this pipe: its answer counts.
    pipeline(req, upstream).catch(() => undefined);
  });
}
