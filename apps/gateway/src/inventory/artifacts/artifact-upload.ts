import busboy from 'busboy';
import type { Request, Response } from 'express';
import { Writable, type Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { ClientWritableStream } from '@grpc/grpc-js';
import { HawkbitHttpError, multipartRoute, type StreamedBodyRule } from '@fleetwave/platform';
import { idleWatch, type ArtifactStreams, type UploadCall } from './artifact-streams';

type Json = Record<string, unknown>;

/** Artifact uploads: multipart bodies the edge leaves unread, for {@link relayUpload} to stream. */
export const artifactUploads: StreamedBodyRule[] = [
  multipartRoute('POST', /^\/rest\/v1\/softwaremodules\/\d+\/artifacts\/?$/),
];

/** Largest chunk of an upload's bytes in one message. */
const UPLOAD_CHUNK_BYTES = 64 * 1024;
/** How long the rest of a refused body is read before the answer, at the most. */
const DRAIN_MS = 10_000;
/** No bytes moving for this long ends an upload. */
const IDLE_MS = 60_000;

/** hawkBit's upload parameters; each may come in the query string or as a form field. */
const uploadParameters = ['filename', 'md5sum', 'sha1sum', 'sha256sum'] as const;
export type UploadParameters = Partial<Record<(typeof uploadParameters)[number], string>>;

/** An upload without a usable file part (400), as hawkBit answers it. */
export const uploadFailed = (message: string): HawkbitHttpError =>
  new HawkbitHttpError(400, {
    exceptionClass: 'ArtifactUploadFailedException',
    errorCode: 'hawkbit.server.error.artifact.uploadFailed',
    message,
  });

/** Who uploads to which module, with the parameters the query string gave (they win over form fields). */
export interface UploadTarget {
  caller: Json;
  moduleId: number;
  query: UploadParameters;
}

interface FilePart {
  stream: Readable;
  filename?: string;
}

/** A multipart body as it is read. */
interface Form {
  /** Text fields before the `file` part, and after it. */
  before: Record<string, string>;
  after: Record<string, string>;
  /** The `file` part once it starts, or undefined when the body has none. */
  file: Promise<FilePart | undefined>;
  /** Resolves once the body was read to its end; rejects when it is malformed or the client broke it off. */
  ended: Promise<void>;
}

const quiet = () => undefined;

/** Reads a multipart body as it arrives (a body that is not multipart is a 400). */
function readForm(req: Request): Form {
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: req.headers, limits: { files: 1, fields: 16, fieldSize: 1024, parts: 32 } });
  } catch (error) {
    throw uploadFailed(`the body is not multipart/form-data: ${(error as Error).message}`);
  }
  const form = { before: {}, after: {} } as Form;
  let part: FilePart | undefined;
  let settleFile!: (part?: FilePart) => void;
  let failFile!: (error: unknown) => void;
  form.file = new Promise((resolve, reject) => ([settleFile, failFile] = [resolve, reject]));
  form.ended = new Promise((resolve, reject) => {
    parser.on('close', () => {
      settleFile(undefined);
      resolve();
    });
    parser.on('error', (error: Error) => {
      const refusal = uploadFailed(`the multipart body is malformed: ${error.message}`);
      failFile(refusal);
      reject(refusal);
    });
  });
  form.file.catch(quiet);
  form.ended.catch(quiet);
  parser.on('field', (name, value) => {
    (part ? form.after : form.before)[name] = value;
  });
  parser.on('file', (name, stream, info) => {
    if (name !== 'file' || part) {
      stream.resume();
      return;
    }
    // A broken-off body fails the parser too: that is where it is reported.
    stream.on('error', quiet);
    part = { stream, filename: info.filename };
    settleFile(part);
  });
  req.on('close', () => {
    if (!req.complete) parser.destroy(new Error('the client closed the upload before its end'));
  });
  req.pipe(parser);
  return form;
}

/** The upload parameters among `fields`, leaving out those `except` has. */
const parametersIn = (fields: Record<string, string | undefined>, except: UploadParameters = {}): UploadParameters =>
  Object.fromEntries(
    uploadParameters.flatMap((name) =>
      fields[name] === undefined || except[name] !== undefined ? [] : [[name, fields[name]]],
    ),
  );

/**
 * Sends the file's bytes to the upload call, in chunks of at most {@link UPLOAD_CHUNK_BYTES}, as
 * fast as the call takes them (the file part waits meanwhile, and so does the client); once the
 * call has ended (a refusal) it drops them, so the rest of the body is still read.
 */
class ChunkSink extends Writable {
  private ended = false;

  constructor(
    private readonly call: ClientWritableStream<Json>,
    private readonly moved: () => void,
  ) {
    super();
    call.once('status', () => (this.ended = true));
  }

  /** Writes `message`; resolves once the call takes more, or has ended. */
  async send(message: Json): Promise<void> {
    this.moved();
    if (this.ended || this.call.write(message)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.call.off('drain', done).off('status', done);
        resolve();
      };
      this.call.on('drain', done).on('status', done);
    });
  }

  override _write(data: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    const pieces = async () => {
      for (let at = 0; !this.ended && at < data.length; at += UPLOAD_CHUNK_BYTES) {
        await this.send({ chunk: data.subarray(at, at + UPLOAD_CHUNK_BYTES) });
      }
    };
    pieces().then(() => done(), done);
  }
}

/**
 * A refusal that came while the client was still sending. One for a body too large (413) is
 * answered at once and ends the connection: the client should stop sending it. Any other is
 * answered once the rest of the body was read and dropped, for at most {@link DRAIN_MS}: a
 * connection closed with the client's bytes unread is reset, and the reset can reach the client
 * before the answer does.
 */
async function answerRefusal(req: Request, res: Response, form: Form, refusal: HawkbitHttpError): Promise<never> {
  if (refusal.getStatus() !== 413 && !req.complete) {
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, DRAIN_MS)));
    await Promise.race([form.ended.catch(quiet), bound]);
    clearTimeout(timer);
  }
  if (!req.complete) res.setHeader('connection', 'close');
  throw refusal;
}

/**
 * Streams a multipart upload to the `UploadArtifact` call, never holding its bytes: the header
 * (caller, module, the parameters so far, the part's file name) once the `file` part starts, its
 * bytes at the pace the service stores them, then the trailer (form fields that followed the file).
 * Resolves with the artifact's view; rejects with the refusal (the service's, or 400 for a body
 * without a `file` part). A client that goes away cancels the call, and the service keeps nothing.
 */
export async function relayUpload(
  req: Request,
  res: Response,
  streams: ArtifactStreams,
  target: UploadTarget,
): Promise<Json> {
  const form = readForm(req);
  try {
    const file = await form.file;
    if (!file) {
      await form.ended;
      throw uploadFailed('the multipart body has no part named "file"');
    }
    return await relayFile(req, res, form, file, streams.upload(), target);
  } catch (error) {
    if (error instanceof HawkbitHttpError) return answerRefusal(req, res, form, error);
    throw error;
  }
}

async function relayFile(
  req: Request,
  res: Response,
  form: Form,
  file: FilePart,
  { call, answer }: UploadCall,
  target: UploadTarget,
): Promise<Json> {
  const idle = idleWatch(IDLE_MS, () => call.cancel());
  let answered = false;
  call.once('status', () => (answered = true));
  res.once('close', () => {
    if (!answered) call.cancel();
  });
  const sink = new ChunkSink(call, () => idle.touch());
  const announced = Number(req.headers['content-length']);
  const sent = (async () => {
    await sink.send({
      header: {
        caller: target.caller,
        moduleId: target.moduleId,
        announcedBytes: Number.isSafeInteger(announced) && announced > 0 ? announced : undefined,
        partFilename: file.filename,
        fields: { ...parametersIn(form.before), ...parametersIn(target.query) },
      },
    });
    file.stream.pipe(sink);
    await Promise.all([form.ended, finished(sink)]);
    await sink.send({ trailer: parametersIn(form.after, target.query) });
    call.end();
    return answer;
  })();
  try {
    return await Promise.race([answer, sent]);
  } catch (error) {
    if (!answered) call.cancel();
    throw error;
  } finally {
    idle.stop();
  }
}
