import { Inject, Injectable } from '@nestjs/common';
import type { sendUnaryData, ServerReadableStream, ServerWritableStream } from '@grpc/grpc-js';
import type { Readable } from 'node:stream';
import { ProtoFiles } from '@fleetwave/contracts';
import {
  callerOf,
  grpcServiceDefinition,
  idOf,
  toGrpcError,
  unaryImplementation,
  type GrpcService,
  type ServesGrpc,
} from '@fleetwave/platform';
import { uploadFailed } from './artifact-errors';
import { toArtifactMessage } from './artifact.views';
import { Artifacts, type ArtifactDownload, type ArtifactUpload, type UploadParameters } from './artifacts.service';

/** Its full name in {@link ProtoFiles.internalArtifacts}. */
export const ARTIFACTS_SERVICE = 'fleetwave.internal.v1.Artifacts';

type Json = Record<string, unknown>;

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** An `UploadFields` message. */
const parametersOf = (message: unknown): UploadParameters => {
  const m = (message ?? {}) as Json;
  return { filename: text(m.filename), md5sum: text(m.md5sum), sha1sum: text(m.sha1sum), sha256sum: text(m.sha256sum) };
};

/** The parameters `late` sets, over those of `early`. */
const merged = (early: UploadParameters, late: UploadParameters): UploadParameters => ({
  ...early,
  ...Object.fromEntries(Object.entries(late).filter(([, value]) => value !== undefined)),
});

/**
 * The upload an `UploadArtifact` call carries: its header (a call that opens with anything else
 * is a 400), then its chunks as the bytes, read only as they are consumed (the sender waits
 * meanwhile), up to the trailer. The bytes fail when the call ends without its trailer: a
 * cancelled call ends its stream as a finished one does, and must store nothing.
 */
async function uploadOf(call: ServerReadableStream<Json, Json>): Promise<ArtifactUpload> {
  const messages = call[Symbol.asyncIterator]() as AsyncIterator<Json>;
  const first = await messages.next();
  const header = first.done ? undefined : (first.value.header as Json | undefined);
  if (!header) throw uploadFailed('an upload opens with its header');
  let parameters = parametersOf(header.fields);
  async function* bytes(): AsyncGenerator<Buffer> {
    for (let next = await messages.next(); !next.done; next = await messages.next()) {
      if (next.value.trailer) {
        parameters = merged(parameters, parametersOf(next.value.trailer));
        return;
      }
      if (next.value.chunk instanceof Buffer) yield next.value.chunk;
    }
    throw uploadFailed('the upload ended before its trailer');
  }
  const announced = Number(header.announcedBytes ?? 0);
  return {
    user: callerOf(header).user,
    moduleId: idOf(header.moduleId, 'SoftwareModule'),
    announcedBytes: Number.isSafeInteger(announced) && announced > 0 ? announced : undefined,
    partFilename: text(header.partFilename),
    bytes: bytes(),
    parameters: () => parameters,
  };
}

/** Resolves once `call` takes more messages, or is gone. */
const writable = (call: ServerWritableStream<Json, Json>): Promise<void> =>
  new Promise((resolve) => {
    const done = () => {
      call.off('drain', done).off('close', done);
      resolve();
    };
    call.on('drain', done).on('close', done);
  });

const downloadHeader = ({ row, ...served }: ArtifactDownload) => ({
  size: Number(row.size),
  filename: row.provided_filename,
  hashes: { sha1: row.sha1, md5: row.md5, sha256: row.sha256 },
  lastModifiedAt: row.last_modified_at.getTime(),
  range: 'range' in served ? served.range : undefined,
});

/**
 * `fleetwave.internal.v1.Artifacts`: each method is the {@link Artifacts} handler. The streaming
 * methods move the bytes at the pace of the slower side: an upload's chunks are read as the store
 * writes them to disk, a download's are read from disk as the receiver takes them; a call the
 * gateway cancels (its client went away) stops reading or writing and leaves no staged file.
 */
@Injectable()
export class ArtifactsGrpc implements ServesGrpc {
  constructor(@Inject(Artifacts) private readonly artifacts: Artifacts) {}

  service(): GrpcService {
    const moduleOf = (r: Json) => idOf(r.moduleId, 'SoftwareModule');
    return {
      definition: grpcServiceDefinition(ProtoFiles.internalArtifacts, ARTIFACTS_SERVICE),
      implementation: {
        ...unaryImplementation({
          ListArtifacts: async (r) => ({
            items: (await this.artifacts.list(idOf(r.id, 'SoftwareModule'))).map(toArtifactMessage),
          }),
          GetArtifact: async (r) =>
            toArtifactMessage(await this.artifacts.get(moduleOf(r), idOf(r.artifactId, 'Artifact'))),
          DeleteArtifact: async (r) => {
            callerOf(r);
            await this.artifacts.delete(moduleOf(r), idOf(r.artifactId, 'Artifact'));
            return {};
          },
        }),
        UploadArtifact: (call: ServerReadableStream<Json, Json>, respond: sendUnaryData<Json>) => {
          uploadOf(call)
            .then((upload) => this.artifacts.upload(upload))
            .then(
              (row) => respond(null, toArtifactMessage(row)),
              (error: unknown) => respond(toGrpcError(error)),
            );
        },
        DownloadArtifact: (call: ServerWritableStream<Json, Json>) => void this.download(call),
      },
    };
  }

  /** The header, then the chunks of the range served; a refused range ends the call after the header. */
  private async download(call: ServerWritableStream<Json, Json>): Promise<void> {
    let source: Readable | undefined;
    call.on('cancelled', () => source?.destroy());
    try {
      const r = call.request;
      const download = await this.artifacts.download(
        idOf(r.moduleId, 'SoftwareModule'),
        idOf(r.artifactId, 'Artifact'),
        text(r.range),
      );
      if (call.cancelled) return;
      call.write({ header: downloadHeader(download) });
      if ('refused' in download) throw download.refused;
      source = download.open();
      for await (const chunk of source) {
        if (!call.write({ chunk })) await writable(call);
        if (call.cancelled) return;
      }
      call.end();
    } catch (error) {
      if (!call.cancelled) call.emit('error', toGrpcError(error));
    } finally {
      source?.destroy();
    }
  }
}
