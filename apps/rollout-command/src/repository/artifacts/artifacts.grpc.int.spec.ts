import {
  credentials,
  makeGenericClientConstructor,
  type ClientReadableStream,
  type ClientWritableStream,
  type ServiceError,
} from '@grpc/grpc-js';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readlink, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InternalServices } from '@fleetwave/contracts';
import { fromGrpcError, GrpcServer, grpcServiceDefinition, HawkbitHttpError } from '@fleetwave/platform';
import { eventually, uniqueName } from '@fleetwave/testing';
import { InventoryFixture } from '../../inventory/testing/inventory.fixture';
import { INVENTORY_SCHEMA } from '../../inventory/inventory.migration';
import { DistributionSetLookup } from '../queries/distribution-set.lookup';
import { ArtifactCleanup } from './artifact-cleanup';

type Json = Record<string, any>;

const CHUNK = 64 * 1024;
const S = INVENTORY_SCHEMA;

const digests = (bytes: Buffer) => ({
  sha1: createHash('sha1').update(bytes).digest('hex'),
  md5: createHash('md5').update(bytes).digest('hex'),
  sha256: createHash('sha256').update(bytes).digest('hex'),
});

interface StreamingClient {
  UploadArtifact(done: (error: ServiceError | null, answer?: Json) => void): ClientWritableStream<Json>;
  DownloadArtifact(request: Json): ClientReadableStream<Json>;
  close(): void;
}

/** Starts the inventory with artifacts stored in a fresh directory under the given quotas. */
async function startWith(env: Record<string, string>) {
  const directory = await mkdtemp(join(tmpdir(), 'fw-artifacts-'));
  const saved = { ...process.env };
  Object.assign(process.env, { ARTIFACTS_DIR: directory, ARTIFACT_DOWNLOAD_BASE_URL: 'http://gw.test:8080', ...env });
  const fx = new InventoryFixture();
  try {
    await fx.start();
  } finally {
    process.env = saved;
  }
  const { file, name } = InternalServices.artifacts;
  const Client = makeGenericClientConstructor(grpcServiceDefinition(file, name), 'artifacts');
  const streams = new Client(
    `127.0.0.1:${fx.app.get(GrpcServer).port}`,
    credentials.createInsecure(),
  ) as unknown as StreamingClient;
  return {
    fx,
    directory,
    streams,
    stop: async () => {
      streams.close();
      await fx.stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

type Started = Awaited<ReturnType<typeof startWith>>;

const caller = (user = 'uploader') => ({ user, permissions: ['CREATE_REPOSITORY'] });

/** An `UploadArtifact` call as the gateway opens it: the call to write to, and its answer. */
function openUpload(s: Started) {
  let call!: ClientWritableStream<Json>;
  const answer = new Promise<Json>((resolve, reject) => {
    call = s.streams.UploadArtifact((error, view) => (error ? reject(fromGrpcError(error)) : resolve(view ?? {})));
  });
  // Some cases look at the refusal only later; it must not count as unhandled meanwhile.
  answer.catch(() => undefined);
  return { call, answer };
}

interface UploadOptions {
  partFilename?: string;
  fields?: Json;
  trailer?: Json;
  announcedBytes?: number;
}

/** Uploads `bytes` in chunks of at most 64 KiB after the header; resolves with the view. */
async function upload(s: Started, moduleId: number, bytes: Buffer, options: UploadOptions = {}): Promise<Json> {
  const { call, answer } = openUpload(s);
  const { partFilename = 'fw.bin', fields = {}, trailer = {}, announcedBytes } = options;
  call.write({ header: { caller: caller(), moduleId, partFilename, fields, announcedBytes } });
  for (let at = 0; at < bytes.length; at += CHUNK) call.write({ chunk: bytes.subarray(at, at + CHUNK) });
  call.write({ trailer });
  call.end();
  return answer;
}

/** The status and whole hawkBit body a call was refused with. */
async function refusal(work: Promise<unknown>): Promise<{ status: number; body: unknown }> {
  const error = await work.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e,
  );
  if (!(error instanceof HawkbitHttpError)) throw error;
  return { status: error.getStatus(), body: error.body };
}

/** A whole `DownloadArtifact` call: its messages' header and chunks, and how it ended. */
function download(s: Started, request: Json) {
  return new Promise<{ header?: Json; chunks: Buffer[]; error?: HawkbitHttpError }>((resolve) => {
    const call = s.streams.DownloadArtifact(request);
    let header: Json | undefined;
    const chunks: Buffer[] = [];
    call.on('data', (part: Json) => (part.header ? (header = part.header) : chunks.push(part.chunk)));
    call.on('end', () => resolve({ header, chunks }));
    call.on('error', (error) => resolve({ header, chunks, error: fromGrpcError(error) }));
  });
}

const newModule = async (s: Started): Promise<number> => {
  const { rows } = await s.fx.pool.query<{ id: string }>(
    `insert into ${S}.software_modules (name, version, type, created_by, last_modified_by)
     values ($1, '1.0', 'os', 'test', 'test') returning id`,
    [uniqueName('sm')],
  );
  return Number(rows[0].id);
};

/** Files under the artifact directory: stored ones by content address, and upload leftovers. */
const storedFiles = async (directory: string) => {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(directory.length + 1));
};
const leftovers = async (directory: string) => (await storedFiles(directory)).filter((f) => f.startsWith('.tmp'));

/** Whether this process (which serves the fixture) holds `path` open. */
const holdsOpen = async (path: string) => {
  const fds = await readdir('/proc/self/fd');
  const targets = await Promise.all(fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
  return targets.includes(path);
};

/** `work`, failing when it has not settled within `seconds`. */
async function withinSeconds<T>(work: Promise<T>, seconds: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${seconds} s`)), seconds * 1000);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `fleetwave.internal.v1.Artifacts` over a real channel, on Postgres and a real directory: an
 * upload streams in chunks through the hashing store, a download streams the stored bytes back,
 * whole or a range; refusals come back as the REST answer they would have been.
 */
describe('software module artifacts over gRPC (Postgres, disk)', () => {
  let s: Started;
  beforeAll(async () => {
    s = await startWith({ ARTIFACT_MAX_SIZE_BYTES: String(256 * 1024) });
  });
  afterAll(() => s?.stop());

  it('stores an upload by content and serves the same bytes, hashes and size back, whole or a range', async () => {
    const moduleId = await newModule(s);
    const bytes = randomBytes(200 * 1024);
    const hashes = digests(bytes);
    const created = await upload(s, moduleId, bytes, { fields: { filename: 'firmware-1.0.bin' } });
    expect(created).toEqual({
      id: expect.any(Number),
      moduleId,
      providedFilename: 'firmware-1.0.bin',
      size: bytes.length,
      hashes,
      audit: {
        createdBy: 'uploader',
        createdAt: expect.any(Number),
        lastModifiedBy: 'uploader',
        lastModifiedAt: expect.any(Number),
      },
    });
    const artifacts = s.fx.client('artifacts');
    expect(await artifacts.call('ListArtifacts', { id: moduleId })).toEqual({ items: [created] });
    expect(await artifacts.call('GetArtifact', { moduleId, artifactId: created.id })).toEqual(created);

    const whole = await download(s, { moduleId, artifactId: created.id });
    expect(whole.header).toEqual({
      size: bytes.length,
      filename: 'firmware-1.0.bin',
      hashes,
      lastModifiedAt: created.audit.lastModifiedAt,
    });
    expect(whole.error).toBeUndefined();
    expect(Math.max(...whole.chunks.map((c) => c.length))).toBeLessThanOrEqual(CHUNK);
    expect(Buffer.concat(whole.chunks).equals(bytes)).toBe(true);

    const partial = await download(s, { moduleId, artifactId: created.id, range: 'bytes=100-199' });
    expect(partial.header?.range).toEqual({ start: 100, end: 199 });
    expect(Buffer.concat(partial.chunks).equals(bytes.subarray(100, 200))).toBe(true);
    const suffix = await download(s, { moduleId, artifactId: created.id, range: 'bytes=-10' });
    expect(suffix.header?.range).toEqual({ start: bytes.length - 10, end: bytes.length - 1 });
    expect(Buffer.concat(suffix.chunks).equals(bytes.subarray(bytes.length - 10))).toBe(true);
    const several = await download(s, { moduleId, artifactId: created.id, range: 'bytes=0-1,5-6' });
    expect([several.header?.range, Buffer.concat(several.chunks).length]).toEqual([undefined, bytes.length]);

    const stored = await storedFiles(s.directory);
    expect(stored).toContain(join(hashes.sha256.slice(0, 2), hashes.sha256));
    expect(await leftovers(s.directory)).toEqual([]);
  });

  it('answers a range past the end with the header (the size) and then 416', async () => {
    const moduleId = await newModule(s);
    const bytes = randomBytes(1000);
    const { id } = await upload(s, moduleId, bytes);
    const answer = await download(s, { moduleId, artifactId: id, range: 'bytes=1000-' });
    expect(answer.header).toMatchObject({ size: 1000, filename: 'fw.bin' });
    expect(answer.chunks).toEqual([]);
    expect({ status: answer.error?.getStatus(), body: answer.error?.body }).toEqual({
      status: 416,
      body: {
        exceptionClass: 'RangeNotSatisfiableException',
        errorCode: 'hawkbit.server.error.artifact.rangeNotSatisfiable',
        message: "the requested range is not within the artifact's 1000 bytes",
      },
    });
  });

  it('takes checksums and the file name from the header, or from the trailer, and refuses a mismatch with 400', async () => {
    const moduleId = await newModule(s);
    const bytes = randomBytes(4096);
    const hashes = digests(bytes);
    const accepted = await upload(s, moduleId, bytes, {
      partFilename: 'from-part.bin',
      fields: { sha1sum: hashes.sha1, md5sum: hashes.md5.toUpperCase(), sha256sum: hashes.sha256 },
    });
    expect(accepted).toMatchObject({ providedFilename: 'from-part.bin', hashes });
    // The trailer's parameters (form fields after the file part) replace the header's, one by one.
    const late = await upload(s, moduleId, bytes, {
      fields: { filename: 'early.bin', md5sum: hashes.md5 },
      trailer: { filename: 'late.bin', sha256sum: hashes.sha256 },
    });
    expect(late).toMatchObject({ providedFilename: 'late.bin', hashes });
    const lateMismatch = upload(s, moduleId, bytes, {
      fields: { filename: 'late-sha1.bin', sha1sum: hashes.sha1 },
      trailer: { sha1sum: 'ab'.repeat(20) },
    });
    expect((await refusal(lateMismatch)).body).toMatchObject({
      errorCode: 'hawkbit.server.error.artifact.uploadFailed.checksum.sha1.match',
    });

    for (const [param, hash, exceptionClass] of [
      ['sha1sum', 'sha1', 'InvalidSHA1HashException'],
      ['md5sum', 'md5', 'InvalidMD5HashException'],
      ['sha256sum', 'sha256', 'InvalidSHA256HashException'],
    ]) {
      const refused = upload(s, moduleId, bytes, {
        fields: { filename: `other-${hash}.bin`, [param]: 'ab'.repeat(10) },
      });
      expect(await refusal(refused)).toEqual({
        status: 400,
        body: {
          exceptionClass,
          errorCode: `hawkbit.server.error.artifact.uploadFailed.checksum.${hash}.match`,
          message: `Upload of artifact failed as the provided ${hash.toUpperCase()} checksum did not match with the provided artifact.`,
        },
      });
    }
    expect(await s.fx.client('artifacts').call('ListArtifacts', { id: moduleId })).toEqual({
      items: [accepted, late],
    });
    expect(await leftovers(s.directory)).toEqual([]);
  });

  it('refuses an empty file, an unusable file name, a call without its header, trailer or caller, with 400', async () => {
    const moduleId = await newModule(s);
    const empty = await refusal(upload(s, moduleId, Buffer.alloc(0)));
    const nameless = await refusal(upload(s, moduleId, randomBytes(10), { partFilename: ' ' }));
    expect([empty, nameless].map((r) => [r.status, (r.body as Json).errorCode])).toEqual([
      [400, 'hawkbit.server.error.artifact.uploadFailed'],
      [400, 'hawkbit.server.error.artifact.uploadFailed'],
    ]);
    const headless = openUpload(s);
    headless.call.write({ chunk: randomBytes(10) });
    headless.call.end();
    expect((await refusal(headless.answer)).body).toMatchObject({
      errorCode: 'hawkbit.server.error.artifact.uploadFailed',
    });
    const unfinished = openUpload(s);
    unfinished.call.write({ header: { caller: caller(), moduleId, partFilename: 'cut.bin' } });
    unfinished.call.write({ chunk: randomBytes(10) });
    unfinished.call.end();
    expect((await refusal(unfinished.answer)).body).toMatchObject({
      errorCode: 'hawkbit.server.error.artifact.uploadFailed',
    });
    const anonymous = openUpload(s);
    anonymous.call.write({ header: { moduleId, partFilename: 'x.bin' } });
    anonymous.call.end();
    expect((await refusal(anonymous.answer)).body).toMatchObject({
      errorCode: 'hawkbit.server.error.rest.param.invalid',
    });
    expect(await s.fx.client('artifacts').call('ListArtifacts', { id: moduleId })).toEqual({});
  });

  it('answers 404 for an unknown module or artifact, 409 for a taken file name, 423 for a locked module', async () => {
    const unknown = 987_654_321;
    const bytes = randomBytes(512);
    const artifacts = s.fx.client('artifacts');
    const notFound = (entity: string, id: number) => ({
      status: 404,
      body: {
        exceptionClass: expect.any(String),
        errorCode: 'hawkbit.server.error.repo.entitiyNotFound',
        message: `${entity} with given identifier {${id}} does not exist.`,
      },
    });
    expect(await refusal(upload(s, unknown, bytes))).toEqual(notFound('SoftwareModule', unknown));
    expect(await refusal(artifacts.call('ListArtifacts', { id: unknown }))).toEqual(
      notFound('SoftwareModule', unknown),
    );
    expect(await refusal(artifacts.call('GetArtifact', { moduleId: unknown, artifactId: 1 }))).toEqual(
      notFound('SoftwareModule', unknown),
    );
    expect((await download(s, { moduleId: unknown, artifactId: 1 })).error?.getStatus()).toBe(404);

    const moduleId = await newModule(s);
    const first = await upload(s, moduleId, bytes, { partFilename: 'same.bin' });
    const other = await newModule(s);
    expect(await refusal(artifacts.call('GetArtifact', { moduleId: other, artifactId: first.id }))).toEqual(
      notFound('Artifact', first.id),
    );
    expect(await refusal(upload(s, moduleId, randomBytes(10), { partFilename: 'same.bin' }))).toMatchObject({
      status: 409,
      body: { errorCode: 'hawkbit.server.error.repo.entitiyAlreayExists' },
    });

    await s.fx.pool.query(`update ${S}.software_modules set locked = true where id = $1`, [moduleId]);
    const locked = {
      status: 423,
      body: {
        exceptionClass: 'LockedException',
        errorCode: 'hawkbit.server.error.entitiylocked',
        message: `SoftwareModule with given identifier {${moduleId}} is locked.`,
      },
    };
    expect(await refusal(upload(s, moduleId, bytes, { partFilename: 'later.bin' }))).toEqual(locked);
    const remove = { caller: caller('remover'), moduleId, artifactId: first.id };
    expect(await refusal(artifacts.call('DeleteArtifact', remove))).toEqual(locked);
    expect(await leftovers(s.directory)).toEqual([]);
  });

  it('refuses an upload the module cannot take right after the header, reading none of its bytes', async () => {
    const moduleId = await newModule(s);
    await s.fx.pool.query(`update ${S}.software_modules set locked = true where id = $1`, [moduleId]);
    for (const id of [987_654_321, moduleId]) {
      const { call, answer } = openUpload(s);
      call.write({ header: { caller: caller(), moduleId: id, partFilename: 'fw.bin' } });
      // The call stays open: a service that read the bytes before deciding would never answer.
      const refused = await refusal(withinSeconds(answer, 10, 'the refusal'));
      expect(refused.status).toBe(id === moduleId ? 423 : 404);
      // What the sender still writes after the answer (a client's body in flight) is dropped, not an error.
      for (let i = 0; i < 4; i += 1) call.write({ chunk: randomBytes(CHUNK) });
      call.end();
    }
    expect(await leftovers(s.directory)).toEqual([]);
  });

  it('refuses a file over the size limit with 413, whether announced or found while streaming', async () => {
    const moduleId = await newModule(s);
    const tooLarge = {
      status: 413,
      body: {
        exceptionClass: 'FileSizeQuotaExceededException',
        errorCode: 'hawkbit.server.error.quota.fileSizeExceeded',
        message: `Maximum file size exceeded: an artifact may have at most ${256 * 1024} bytes.`,
      },
    };
    expect(await refusal(upload(s, moduleId, randomBytes(256 * 1024 + 1)))).toEqual(tooLarge);

    const announced = openUpload(s);
    announced.call.write({ header: { caller: caller(), moduleId, partFilename: 'a.bin', announcedBytes: 400 * 1024 } });
    expect(await refusal(withinSeconds(announced.answer, 10, 'the refusal'))).toEqual(tooLarge);
    announced.call.end();

    // Refused once past the limit, while the sender has not ended: the rest is never waited for.
    const streamed = openUpload(s);
    streamed.call.write({ header: { caller: caller(), moduleId, partFilename: 'b.bin' } });
    for (let i = 0; i < 5; i += 1) streamed.call.write({ chunk: randomBytes(CHUNK) });
    expect(await refusal(withinSeconds(streamed.answer, 10, 'the refusal'))).toEqual(tooLarge);
    streamed.call.end();

    expect(await upload(s, moduleId, randomBytes(256 * 1024))).toMatchObject({ size: 256 * 1024 });
    await eventually(async () => expect(await leftovers(s.directory)).toEqual([]), {
      timeoutMs: 5_000,
      description: 'no staged file left',
    });
  });

  it('leaves no staged file and no artifact when the sender cancels mid-upload', async () => {
    const moduleId = await newModule(s);
    const { call, answer } = openUpload(s);
    call.write({ header: { caller: caller(), moduleId, partFilename: 'gone.bin' } });
    for (let i = 0; i < 2; i += 1) call.write({ chunk: randomBytes(CHUNK) });
    await eventually(async () => expect((await leftovers(s.directory)).length).toBe(1), {
      timeoutMs: 10_000,
      description: 'the upload staged',
    });
    call.cancel();
    expect((await refusal(answer)).status).toBe(503);
    await eventually(async () => expect(await leftovers(s.directory)).toEqual([]), {
      timeoutMs: 10_000,
      description: 'the staged file removed',
    });
    expect(await s.fx.client('artifacts').call('ListArtifacts', { id: moduleId })).toEqual({});
  });

  it('stops reading the file when the receiver cancels mid-download', async () => {
    // Stored as an upload would have left it, larger than the channel and the client buffer.
    const moduleId = await newModule(s);
    const bytes = randomBytes(16 * 1024 * 1024);
    const hashes = digests(bytes);
    const path = join(s.directory, hashes.sha256.slice(0, 2), hashes.sha256);
    await mkdir(join(s.directory, hashes.sha256.slice(0, 2)), { recursive: true });
    await writeFile(path, bytes);
    const { rows } = await s.fx.pool.query<{ id: string }>(
      `insert into ${S}.software_module_artifacts
         (software_module_id, provided_filename, size, sha1, md5, sha256, created_by, last_modified_by)
       values ($1, 'big.bin', $2, $3, $4, $5, 'test', 'test') returning id`,
      [moduleId, bytes.length, hashes.sha1, hashes.md5, hashes.sha256],
    );
    const call = s.streams.DownloadArtifact({ moduleId, artifactId: Number(rows[0].id) });
    call.on('error', () => undefined);
    // Only the header is taken: the service waits for the receiver, its file open.
    await withinSeconds(new Promise((resolve) => call.once('data', resolve)), 10, 'the download header');
    call.pause();
    await eventually(async () => expect(await holdsOpen(path)).toBe(true), {
      timeoutMs: 10_000,
      description: 'the file open',
    });
    call.cancel();
    await eventually(async () => expect(await holdsOpen(path)).toBe(false), {
      timeoutMs: 10_000,
      description: 'the file closed',
    });
  });

  it('answers 404 when the bytes of a recorded artifact are missing', async () => {
    const moduleId = await newModule(s);
    const bytes = randomBytes(700);
    const { id, hashes } = await upload(s, moduleId, bytes);
    await rm(join(s.directory, hashes.sha256.slice(0, 2), hashes.sha256));
    const answer = await download(s, { moduleId, artifactId: id });
    expect([answer.header, answer.error?.getStatus(), answer.error?.body.message]).toEqual([
      undefined,
      404,
      `Artifact binary with given identifier {${id}} does not exist.`,
    ]);
  });

  it('deletes an artifact, keeping bytes another artifact still has', async () => {
    const bytes = randomBytes(2048);
    const { sha256 } = digests(bytes);
    const stored = join(s.directory, sha256.slice(0, 2), sha256);
    const [a, b] = [await newModule(s), await newModule(s)];
    const first = await upload(s, a, bytes);
    const second = await upload(s, b, bytes);
    const artifacts = s.fx.client('artifacts');
    const remove = (moduleId: number, artifactId: number) =>
      artifacts.call('DeleteArtifact', { caller: caller('remover'), moduleId, artifactId });
    expect(await remove(a, first.id)).toEqual({});
    expect((await refusal(artifacts.call('GetArtifact', { moduleId: a, artifactId: first.id }))).status).toBe(404);
    expect((await refusal(remove(a, first.id))).status).toBe(404);
    expect((await stat(stored)).size).toBe(bytes.length);
    await remove(b, second.id);
    await expect(stat(stored)).rejects.toThrow();
  });

  it('removes at clean-up the bytes of a module deleted with its artifacts, and temp files a crash left', async () => {
    const moduleId = await newModule(s);
    const bytes = randomBytes(3000);
    const { sha256 } = digests(bytes);
    const stored = join(s.directory, sha256.slice(0, 2), sha256);
    await upload(s, moduleId, bytes);
    await s.fx.pool.query(`delete from ${S}.software_modules where id = $1`, [moduleId]);
    expect((await stat(stored)).size).toBe(bytes.length);
    await mkdir(join(s.directory, '.tmp'), { recursive: true });
    const [stale, fresh] = [join(s.directory, '.tmp', 'crashed'), join(s.directory, '.tmp', 'in-progress')];
    await writeFile(stale, 'partial');
    await writeFile(fresh, 'partial');
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await utimes(stale, twoHoursAgo, twoHoursAgo);

    expect(await s.fx.app.get(ArtifactCleanup).run()).toEqual({ staleUploads: 1, unreferenced: 1 });
    await expect(stat(stored)).rejects.toThrow();
    await expect(stat(stale)).rejects.toThrow();
    expect((await stat(fresh)).isFile()).toBe(true);
    await rm(fresh);
  });

  it('puts the artifacts of a set’s modules, with gateway download links, into the set’s reference', async () => {
    const moduleId = await newModule(s);
    const bytes = randomBytes(1024);
    const artifact = await upload(s, moduleId, bytes, { partFilename: 'os.img' });
    const { rows } = await s.fx.pool.query<{ id: string }>(
      `insert into ${S}.distribution_sets (name, version, type, module_ids, created_by, last_modified_by)
       values ($1, '1.0', 'os', $2, 'test', 'test') returning id`,
      [uniqueName('ds'), [moduleId]],
    );
    const reference = await s.fx.app.get(DistributionSetLookup).reference(Number(rows[0].id));
    expect(reference.modules).toEqual([
      expect.objectContaining({
        id: moduleId,
        artifacts: [
          {
            filename: 'os.img',
            size: 1024,
            hashes: digests(bytes),
            downloadUrl: `http://gw.test:8080/rest/v1/softwaremodules/${moduleId}/artifacts/${artifact.id}/download`,
          },
        ],
      }),
    ]);
  });
});

describe('artifact storage quota over gRPC (Postgres, disk)', () => {
  let s: Started;
  beforeAll(async () => {
    s = await startWith({ ARTIFACT_MAX_SIZE_BYTES: String(64 * 1024), ARTIFACT_MAX_STORAGE_BYTES: String(100 * 1024) });
  });
  afterAll(() => s?.stop());

  it('refuses an upload that would take all artifacts past the storage quota with 413', async () => {
    const moduleId = await newModule(s);
    await upload(s, moduleId, randomBytes(60 * 1024), { partFilename: 'a.bin' });
    expect(await refusal(upload(s, moduleId, randomBytes(60 * 1024), { partFilename: 'b.bin' }))).toEqual({
      status: 413,
      body: {
        exceptionClass: 'StorageQuotaExceededException',
        errorCode: 'hawkbit.server.error.quota.storageExceeded',
        message: `Storage quota exceeded: all artifacts together may have at most ${100 * 1024} bytes.`,
      },
    });
    expect(await upload(s, moduleId, randomBytes(40 * 1024), { partFilename: 'c.bin' })).toMatchObject({
      providedFilename: 'c.bin',
    });
    expect(await leftovers(s.directory)).toEqual([]);
  });
});
