import type { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { notFound } from '../../shared/application-error';
import { requestedRange } from './domain/artifact-rules';
import { rangeNotSatisfiable } from './artifact-errors';
import type { ArtifactStore } from './artifact.store';
import type { ArtifactRow } from './artifact.views';

/** `attachment` with the provided name, ASCII-safe and exact (RFC 6266 `filename*`). */
const disposition = (filename: string): string =>
  `attachment; filename="${filename.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`;

/**
 * Streams an artifact's bytes with the headers a download client relies on: length, name, the
 * sha1 as ETag (as hawkBit sends it, so `If-None-Match` answers 304), and byte ranges.
 */
export async function sendArtifact(store: ArtifactStore, row: ArtifactRow, req: Request, res: Response): Promise<void> {
  if (!(await store.has(row.sha256))) throw notFound('Artifact binary', row.id);
  const size = Number(row.size);
  const etag = `"${row.sha1}"`;
  res.setHeader('etag', etag);
  res.setHeader('accept-ranges', 'bytes');
  res.setHeader('last-modified', row.last_modified_at.toUTCString());
  if (req.headers['if-none-match'] === etag) {
    res.status(304).end();
    return;
  }
  const range = requestedRange(req.headers.range, size);
  if (range === 'unsatisfiable') {
    res.setHeader('content-range', `bytes */${size}`);
    throw rangeNotSatisfiable(size);
  }
  res.setHeader('content-type', 'application/octet-stream');
  res.setHeader('content-disposition', disposition(row.provided_filename));
  if (range) {
    res.status(206);
    res.setHeader('content-range', `bytes ${range.start}-${range.end}/${size}`);
    res.setHeader('content-length', String(range.end - range.start + 1));
  } else {
    res.status(200);
    res.setHeader('content-length', String(size));
  }
  // A client that stops reading ends the pipeline; there is nobody left to answer.
  await pipeline(store.open(row.sha256, range), res).catch(() => undefined);
}
