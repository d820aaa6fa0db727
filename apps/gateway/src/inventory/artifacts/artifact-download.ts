import type { Request, Response } from 'express';
import { fromGrpcError, serviceUnavailable } from '@fleetwave/platform';
import { idleWatch, type ArtifactStreams } from './artifact-streams';

type Json = Record<string, unknown>;

/** No bytes moving for this long ends a download (the client sees a short body). */
const IDLE_MS = 60_000;

/** `attachment` with the provided name, ASCII-safe and exact (RFC 6266 `filename*`). */
export const contentDisposition = (filename: string): string =>
  `attachment; filename="${filename.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`;

/** The `DownloadHeader` message. */
interface DownloadHeader {
  size: number;
  filename: string;
  hashes: { sha1: string };
  lastModifiedAt: number;
  range?: { start: number; end: number };
}

/** The status and headers of the bytes that follow the header: the whole file (200) or its range (206). */
function writeHead(res: Response, header: DownloadHeader): void {
  res.setHeader('content-type', 'application/octet-stream');
  res.setHeader('content-disposition', contentDisposition(header.filename));
  const { size, range } = header;
  if (range) {
    res.status(206);
    res.setHeader('content-range', `bytes ${range.start}-${range.end}/${size}`);
    res.setHeader('content-length', String(range.end - range.start + 1));
  } else {
    res.status(200);
    res.setHeader('content-length', String(size));
  }
}

/**
 * Answers a download from the `DownloadArtifact` call with the headers a download client relies
 * on: length, name, the sha1 as ETag (as hawkBit sends it, so `If-None-Match` answers 304),
 * `Accept-Ranges`, and 206 with `Content-Range` for the range the service served. The bytes are
 * written as they come, the call paused while the client's connection is full; a client that goes
 * away cancels the call. Rejects with the refusal when it comes before any byte (a range outside
 * the file: 416, its `Content-Range` telling the size).
 */
export function relayDownload(req: Request, res: Response, streams: ArtifactStreams, request: Json): Promise<void> {
  return new Promise((resolve, reject) => {
    const call = streams.download(request);
    const idle = idleWatch(IDLE_MS, () => call.cancel());
    let header: DownloadHeader | undefined;
    let started = false;
    const start = (): boolean => {
      if (!header) {
        call.cancel();
        reject(serviceUnavailable());
        return false;
      }
      if (!started) writeHead(res, header);
      started = true;
      return true;
    };
    res.once('close', () => {
      if (!res.writableFinished) call.cancel();
    });
    // A failed call emits its error at once, and may still end its stream after it.
    let failed = false;
    call.on('data', (part: Json) => {
      idle.touch();
      if (failed || res.writableEnded || res.destroyed) return;
      if (part.header) {
        header = part.header as DownloadHeader;
        const etag = `"${header.hashes.sha1}"`;
        res.setHeader('etag', etag);
        res.setHeader('accept-ranges', 'bytes');
        res.setHeader('last-modified', new Date(header.lastModifiedAt).toUTCString());
        if (req.headers['if-none-match'] === etag) {
          started = true;
          res.status(304).end();
          call.cancel();
        }
        return;
      }
      if (!start()) return;
      if (!res.write(part.chunk)) {
        call.pause();
        res.once('drain', () => call.resume());
      }
    });
    call.on('end', () => {
      idle.stop();
      if (failed) return;
      if (start()) res.end();
      resolve();
    });
    call.on('error', (error) => {
      failed = true;
      idle.stop();
      if (started) {
        // Cut off mid-answer (or cancelled once answered): the client sees a short body, if any.
        if (!res.writableEnded) res.destroy();
        resolve();
        return;
      }
      const refusal = fromGrpcError(error);
      if (refusal.getStatus() === 416 && header) res.setHeader('content-range', `bytes */${header.size}`);
      reject(refusal);
    });
  });
}
