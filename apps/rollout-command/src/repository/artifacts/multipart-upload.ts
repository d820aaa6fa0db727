import busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import type { ArtifactStore, StagedArtifact } from './artifact.store';
import { uploadFailed } from './artifact-errors';

/** What a multipart upload delivered: the `file` part staged on disk, and the small fields. */
export interface ReceivedUpload {
  staged?: StagedArtifact;
  /** The file name the `file` part carried. */
  partFilename?: string;
  /** The part was longer than the size limit: `staged` holds only its first `maxBytes + 1` bytes. */
  truncated: boolean;
  fields: Record<string, string>;
}

/**
 * Streams a multipart/form-data request: the part named `file` goes through the store's hashing
 * stage to a temp file (never into memory), at most `maxBytes + 1` of it; other file parts are
 * drained; text fields (hawkBit's `filename`, `md5sum`, `sha1sum`, `sha256sum` may come as form
 * fields too) are kept. Resolves once the whole body is read, so that the answer reaches a
 * client that is done sending. A client that goes away mid-upload leaves no temp file behind.
 */
export function receiveUpload(req: IncomingMessage, store: ArtifactStore, maxBytes: number): Promise<ReceivedUpload> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        // One byte past the limit tells a file of exactly `maxBytes` from a longer one.
        limits: { files: 1, fileSize: maxBytes + 1, fields: 16, fieldSize: 1024, parts: 32 },
      });
    } catch (error) {
      reject(uploadFailed(`the body is not multipart/form-data: ${(error as Error).message}`));
      return;
    }
    const fields: Record<string, string> = {};
    let staging: Promise<StagedArtifact> | undefined;
    let partFilename: string | undefined;
    let truncated = false;
    let settled = false;
    // `problem`: why the body is refused (400); a failure to write the temp file stays what it is (500).
    const settle = async (problem?: string) => {
      if (settled) return;
      settled = true;
      let failure: unknown = problem === undefined ? undefined : uploadFailed(problem);
      const staged = await staging?.catch((error: unknown) => {
        failure ??= error;
        return undefined;
      });
      if (failure === undefined) {
        resolve({ staged, partFilename, truncated, fields });
        return;
      }
      if (staged) await store.discard(staged).catch(() => undefined);
      reject(failure);
    };

    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (name, file, info) => {
      if (name !== 'file' || staging) {
        file.resume();
        return;
      }
      partFilename = info.filename;
      file.on('limit', () => {
        truncated = true;
      });
      staging = store.stage(file);
      // Awaited in settle; a failure before then must not count as unhandled.
      staging.catch(() => undefined);
    });
    parser.on('error', (error: Error) => void settle(`the multipart body is malformed: ${error.message}`));
    parser.on('close', () => void settle());
    req.on('close', () => {
      if (!req.complete) parser.destroy(new Error('the client closed the upload before its end'));
    });
    req.pipe(parser);
  });
}
