import type { INestApplication } from '@nestjs/common';
import type { sendUnaryData, ServerReadableStream, ServerWritableStream } from '@grpc/grpc-js';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bootstrapService, HawkbitHttpError, readPlatformConfig, toGrpcError } from '@fleetwave/platform';
import { AppModule } from '../../app.module';
import { parseUsers } from '../../auth/users';
import { standInBackends } from '../../testing/stand-in-backends';

type Json = Record<string, any>;

const CHUNK = 64 * 1024;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Resolves once `done()` holds, failing after `ms`: how one side waits for the other's bytes. */
const until = (done: () => boolean, what: string, ms = 10_000) =>
  new Promise<void>((resolve, reject) => {
    const deadline = Date.now() + ms;
    const check = () => {
      if (done()) resolve();
      else if (Date.now() > deadline) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(check, 10);
    };
    check();
  });

const boundary = 'fw-boundary-7d1';
const multipartType = `multipart/form-data; boundary=${boundary}`;
const field = (name: string, value: string) =>
  `--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;

/** A multipart body around one `file` part: `head` up to the file's first byte, `tail` after its last. */
const multipart = (filename: string, before: Record<string, string> = {}, after: Record<string, string> = {}) => ({
  head: Buffer.from(
    Object.entries(before)
      .map(([name, value]) => field(name, value))
      .join('') +
      `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${filename}"\r\n` +
      'content-type: application/octet-stream\r\n\r\n',
  ),
  tail: Buffer.from(
    '\r\n' +
      Object.entries(after)
        .map(([name, value]) => field(name, value))
        .join('') +
      `--${boundary}--\r\n`,
  ),
});

interface Upload {
  header?: Json;
  chunkSizes: number[];
  bytes: Buffer[];
  trailer?: Json;
  /** Whether the trailer came last, after every chunk. */
  trailerLast: boolean;
  cancelled: boolean;
}

/**
 * The artifact routes of the gateway, started in-process as the service starts, in front of a
 * stand-in of rollout-command's internal `Artifacts` service (the real proto, over a real
 * channel): an upload's multipart body is parsed here and streamed on in chunks as it arrives,
 * a download's chunks reach the client as the service sends them, with hawkBit's headers, ranges
 * and refusals; a refusal before the body's end still reaches a client that is still sending,
 * and a client that goes away cancels the call. Nothing is forwarded over HTTP.
 */
describe('gateway artifact routes', () => {
  const uploads: Upload[] = [];
  const calls: { method: string; request: Json }[] = [];
  const downloads: { request: Json; cancelled: boolean }[] = [];
  const forwarded: string[] = [];
  let receivedBytes = 0;
  let clientBytes = 0;
  const first = randomBytes(256 * 1024);
  const rest = randomBytes(3 * 1024 * 1024);
  const whole = Buffer.concat([first, rest]);
  const audit = { createdBy: 'ann', createdAt: 1_000, lastModifiedBy: 'bob', lastModifiedAt: 2_000 };
  const notFound = {
    exceptionClass: 'EntityNotFoundException',
    errorCode: 'hawkbit.server.error.repo.entitiyNotFound',
    message: 'SoftwareModule with given identifier {404} does not exist.',
  };
  const tooLarge = {
    exceptionClass: 'FileSizeQuotaExceededException',
    errorCode: 'hawkbit.server.error.quota.fileSizeExceeded',
    message: 'Maximum file size exceeded: an artifact may have at most 1024 bytes.',
  };
  const outOfRange = {
    exceptionClass: 'RangeNotSatisfiableException',
    errorCode: 'hawkbit.server.error.artifact.rangeNotSatisfiable',
    message: "the requested range is not within the artifact's 3407872 bytes",
  };
  /** Refusals of the stand-in right after an upload's header, by module id. */
  const refusals: Record<number, HawkbitHttpError> = {
    404: new HawkbitHttpError(404, notFound),
    413: new HawkbitHttpError(413, tooLarge),
  };
  const view = (moduleId: number, id: number, providedFilename: string, size = 4) => ({
    id,
    moduleId,
    providedFilename,
    size,
    hashes: { sha1: 'a1', md5: 'b2', sha256: 'c3' },
    audit,
  });
  const downloadHeader = { size: whole.length, filename: 'fw ü.bin', hashes: { sha1: 'abc', md5: 'd', sha256: 'e' } };
  let backends: Awaited<ReturnType<typeof standInBackends>>;
  let upstream: Server;
  let gateway: INestApplication;
  let base: string;
  const basic = (user: string) => `Basic ${Buffer.from(`${user}:pw`).toString('base64')}`;
  const admin = basic('admin');

  const UploadArtifact = (call: ServerReadableStream<Json, Json>, done: sendUnaryData<Json>) => {
    const upload: Upload = { chunkSizes: [], bytes: [], trailerLast: false, cancelled: false };
    uploads.push(upload);
    let answered = false;
    const answer = (error: HawkbitHttpError | null, reply?: Json) => {
      if (answered) return;
      answered = true;
      if (error) done(toGrpcError(error));
      else done(null, reply);
    };
    // The server tells every call's end as a cancel; one before the answer is the client's.
    call.on('cancelled', () => (upload.cancelled ||= !answered));
    call.on('data', (part: Json) => {
      if (part.header) {
        upload.header = part.header;
        const refusal = refusals[Number(part.header.moduleId)];
        // Refused before any byte is read, as the service refuses a module that cannot take it.
        if (refusal) answer(refusal);
      } else if (part.chunk) {
        upload.chunkSizes.push(part.chunk.length);
        upload.bytes.push(part.chunk);
        receivedBytes += part.chunk.length;
      } else if (part.trailer) {
        upload.trailer = part.trailer;
        upload.trailerLast = true;
        return;
      }
      upload.trailerLast = false;
    });
    // Answered only once the trailer came, as the service does: a cancelled call ends its stream too.
    call.on('end', () => {
      if (!upload.trailer) return;
      const bytes = Buffer.concat(upload.bytes);
      const name = upload.header?.fields?.filename ?? upload.header?.partFilename ?? '';
      answer(null, {
        ...view(Number(upload.header?.moduleId), 21, name, bytes.length),
        hashes: { sha256: sha256(bytes) },
      });
    });
  };

  /** The whole file in chunks, the rest only once the client has the first bytes; other artifacts as named. */
  const DownloadArtifact = (call: ServerWritableStream<Json, Json>) => {
    const { request: r } = call;
    const seen = { request: r, cancelled: false };
    downloads.push(seen);
    let sent = false;
    call.on('cancelled', () => (seen.cancelled ||= !sent));
    const send = async () => {
      if (r.artifactId === 404) throw new HawkbitHttpError(404, { ...notFound, message: 'Artifact 404' });
      const header = { ...downloadHeader, lastModifiedAt: Date.UTC(2026, 0, 2, 3, 4, 5) };
      if (r.range === 'bytes=5000000-') {
        call.write({ header });
        throw new HawkbitHttpError(416, outOfRange);
      }
      if (r.range === 'bytes=100-199') {
        call.write({ header: { ...header, range: { start: 100, end: 199 } } });
        call.write({ chunk: whole.subarray(100, 200) });
        return;
      }
      call.write({ header });
      const endless = r.artifactId === 9;
      for (let at = 0; at < whole.length || endless; at += CHUNK) {
        if (call.cancelled || at > 64 * whole.length) return;
        if (at === first.length)
          await until(() => clientBytes >= first.length, 'the client to receive the first bytes');
        const chunk = whole.subarray(at % whole.length, (at % whole.length) + CHUNK);
        if (!call.write({ chunk })) await new Promise((resolve) => call.once('drain', resolve));
      }
    };
    send().then(
      () => {
        sent = true;
        call.end();
      },
      (error: unknown) => {
        sent = true;
        call.emit('error', toGrpcError(error));
      },
    );
  };

  beforeAll(async () => {
    const answering = (method: string, answer: (r: Json) => object) => async (request: Json) => {
      calls.push({ method, request });
      return answer(request);
    };
    backends = await standInBackends(
      {
        artifacts: {
          ListArtifacts: answering('ListArtifacts', (r) => ({
            items: [view(r.id, 21, 'a.bin'), view(r.id, 22, 'b.bin')],
          })),
          GetArtifact: answering('GetArtifact', (r) => {
            if (r.artifactId === 404) throw new HawkbitHttpError(404, notFound);
            return view(r.moduleId, r.artifactId, 'a.bin');
          }),
          DeleteArtifact: answering('DeleteArtifact', () => ({})),
        },
      },
      { artifacts: { UploadArtifact, DownloadArtifact } },
    );
    upstream = createServer((req, res) => {
      forwarded.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    gateway = await bootstrapService(
      AppModule.forRoot(
        parseUsers('admin:pw:*;reader:pw:READ_REPOSITORY'),
        { rolloutCommand: upstreamUrl, reporting: upstreamUrl },
        { backends: { commands: backends.address, queries: backends.address } },
      ),
      { ...readPlatformConfig('gateway-artifacts-edge-test', 1, {}), httpPort: 0 },
    );
    base = `http://127.0.0.1:${(gateway.getHttpServer().address() as AddressInfo).port}/rest/v1`;
  });

  afterAll(async () => {
    await gateway?.close();
    await backends?.stop();
    await new Promise((resolve) => upstream?.close(resolve));
  });

  afterEach(() => expect(forwarded).toEqual([]));

  const caller = { user: 'admin', permissions: expect.arrayContaining(['CREATE_REPOSITORY', 'READ_REPOSITORY']) };
  const rendered = (moduleId: number, id: number, providedFilename: string, size = 4) => ({
    id,
    hashes: { sha1: 'a1', md5: 'b2', sha256: 'c3' },
    providedFilename,
    size,
    ...audit,
    _links: {
      self: { href: `/rest/v1/softwaremodules/${moduleId}/artifacts/${id}` },
      download: { href: `/rest/v1/softwaremodules/${moduleId}/artifacts/${id}/download` },
    },
  });
  const answerOf = async (response: Response) => {
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };

  it('streams a multipart upload to the service as it arrives, in chunks, with its parameters around the bytes', async () => {
    receivedBytes = 0;
    const form = multipart(
      'part.bin',
      { md5sum: 'early-md5', filename: 'form.bin' },
      { sha256sum: 'late', filename: 'x' },
    );
    // The rest is sent only once the service has the first bytes: a gateway that held the body would stall.
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(Buffer.concat([form.head, first]));
        await until(() => receivedBytes >= first.length, 'the service to receive the first bytes');
        controller.enqueue(Buffer.concat([rest, form.tail]));
        controller.close();
      },
    });
    const response = await fetch(`${base}/softwaremodules/7/artifacts?filename=fw.bin&sha1sum=q-sha1`, {
      method: 'POST',
      headers: { authorization: admin, 'content-type': multipartType },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(await answerOf(response)).toEqual({
      status: 201,
      body: { ...rendered(7, 21, 'fw.bin', whole.length), hashes: { sha1: '', md5: '', sha256: sha256(whole) } },
    });
    const upload = uploads.at(-1)!;
    expect(upload.header).toEqual({
      caller,
      moduleId: 7,
      partFilename: 'part.bin',
      fields: { filename: 'fw.bin', md5sum: 'early-md5', sha1sum: 'q-sha1' },
    });
    // The query string wins over a form field, wherever the field comes.
    expect(upload).toMatchObject({ trailer: { sha256sum: 'late' }, trailerLast: true, cancelled: false });
    expect(Math.max(...upload.chunkSizes)).toBeLessThanOrEqual(CHUNK);
    expect(Buffer.concat(upload.bytes).equals(whole)).toBe(true);
  });

  it('tells the service the announced length, and sends an empty trailer when no field follows the file', async () => {
    const bytes = randomBytes(1000);
    const form = multipart('fw.bin');
    const body = Buffer.concat([form.head, bytes, form.tail]);
    const response = await fetch(`${base}/softwaremodules/8/artifacts`, {
      method: 'POST',
      headers: { authorization: admin, 'content-type': multipartType, 'content-length': String(body.length) },
      body,
    });
    expect(await answerOf(response)).toMatchObject({ status: 201, body: { providedFilename: 'fw.bin', size: 1000 } });
    expect(uploads.at(-1)).toMatchObject({
      header: { moduleId: 8, announcedBytes: body.length, partFilename: 'fw.bin', fields: {} },
      trailer: {},
      trailerLast: true,
    });
  });

  it("answers a refusal the service gave before reading the bytes once the client's body is read, so the client gets it, not a broken pipe", async () => {
    const form = multipart('fw.bin');
    const chunk = Buffer.alloc(64 * 1024, 1);
    const chunks = 4;
    const outcome = await new Promise<{ status?: number; body?: unknown; sentAll: boolean; error?: string }>(
      (resolve) => {
        const req = request(`${base}/softwaremodules/404/artifacts`, {
          method: 'POST',
          headers: {
            authorization: admin,
            'content-type': multipartType,
            'content-length': form.head.length + chunk.length * chunks + form.tail.length,
          },
        });
        let sentAll = false;
        req.on('response', (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (part: Buffer) => parts.push(part));
          answer.on('end', () =>
            resolve({ status: answer.statusCode, body: JSON.parse(Buffer.concat(parts).toString()), sentAll }),
          );
        });
        req.on('error', (e) => resolve({ sentAll, error: (e as NodeJS.ErrnoException).code }));
        // Sent a piece at a time: the refusal comes after the first.
        let sent = 0;
        const next = () => {
          sent += 1;
          if (sent === 1) req.write(Buffer.concat([form.head, chunk]), () => setTimeout(next, 50));
          else if (sent < chunks) req.write(chunk, () => setTimeout(next, 50));
          else req.end(Buffer.concat([chunk, form.tail]), () => (sentAll = true));
        };
        next();
      },
    );
    expect(outcome).toEqual({ status: 404, body: notFound, sentAll: true });
    expect(uploads.at(-1)).toMatchObject({ header: { moduleId: 404 }, chunkSizes: [] });
  });

  it('answers a refusal of a body too large at once, ending the connection, while the client is still sending', async () => {
    const form = multipart('fw.bin');
    const outcome = await new Promise<{ status?: number; headers: IncomingHttpHeaders; body: unknown }>(
      (resolve, reject) => {
        const req = request(`${base}/softwaremodules/413/artifacts`, {
          method: 'POST',
          headers: { authorization: admin, 'content-type': multipartType, 'content-length': 50 * 1024 * 1024 },
        });
        req.on('response', (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (part: Buffer) => parts.push(part));
          answer.on('end', () => {
            resolve({
              status: answer.statusCode,
              headers: answer.headers,
              body: JSON.parse(Buffer.concat(parts).toString()),
            });
            req.destroy();
          });
        });
        req.on('error', reject);
        // The first piece only: the rest of the announced 50 MB never comes.
        req.write(Buffer.concat([form.head, randomBytes(1024)]));
      },
    );
    expect(outcome).toMatchObject({ status: 413, headers: { connection: 'close' }, body: tooLarge });
  });

  it('cancels the call when the client goes away mid-upload', async () => {
    const form = multipart('gone.bin');
    const before = uploads.length;
    const req = request(`${base}/softwaremodules/9/artifacts`, {
      method: 'POST',
      headers: { authorization: admin, 'content-type': multipartType, 'transfer-encoding': 'chunked' },
    });
    req.on('error', () => undefined);
    req.write(Buffer.concat([form.head, first]));
    await until(() => (uploads[before]?.bytes.length ?? 0) > 0, 'the service to receive bytes');
    req.destroy();
    await until(() => uploads[before].cancelled, 'the call to be cancelled');
    expect(uploads[before].trailer).toBeUndefined();
  });

  it('refuses a body without a file part, or not multipart, with 400 before any call', async () => {
    const before = uploads.length;
    const fieldsOnly = await fetch(`${base}/softwaremodules/7/artifacts`, {
      method: 'POST',
      headers: { authorization: admin, 'content-type': multipartType },
      body: `${field('filename', 'x.bin')}--${boundary}--\r\n`,
    });
    const json = await fetch(`${base}/softwaremodules/7/artifacts`, {
      method: 'POST',
      headers: { authorization: admin, 'content-type': 'application/json' },
      body: '{}',
    });
    for (const answer of [await answerOf(fieldsOnly), await answerOf(json)]) {
      expect(answer).toEqual({
        status: 400,
        body: {
          exceptionClass: 'ArtifactUploadFailedException',
          errorCode: 'hawkbit.server.error.artifact.uploadFailed',
          message: expect.any(String),
        },
      });
    }
    expect(uploads.length).toBe(before);
  });

  it('refuses a bad id, a bad parameter, a caller without the right, before any call; multipart elsewhere stays a 415', async () => {
    const before = { uploads: uploads.length, calls: calls.length, downloads: downloads.length };
    const form = multipart('fw.bin');
    const post = (path: string, authorization?: string) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { ...(authorization ? { authorization } : {}), 'content-type': multipartType },
        body: Buffer.concat([form.head, first, form.tail]),
      }).then(answerOf);
    const errorCode = (answer: { status: number; body: unknown }) => [answer.status, (answer.body as Json).errorCode];
    expect(errorCode(await post('/softwaremodules/7/artifacts'))).toEqual([401, 'hawkbit.server.error.unauthorized']);
    expect(errorCode(await post('/softwaremodules/7/artifacts', basic('reader')))).toEqual([
      403,
      'hawkbit.server.error.insufficientpermission',
    ]);
    expect(errorCode(await post('/softwaremodules/0/artifacts', admin))).toEqual([
      404,
      'hawkbit.server.error.repo.entitiyNotFound',
    ]);
    expect(errorCode(await post(`/softwaremodules/7/artifacts?filename=${'x'.repeat(300)}`, admin))).toEqual([
      400,
      'hawkbit.server.error.repo.constraintViolation',
    ]);
    expect(errorCode(await post('/targets', admin))).toEqual([415, 'hawkbit.server.error.rest.mediaType.unsupported']);
    const get = (path: string) => fetch(`${base}${path}`, { headers: { authorization: admin } }).then(answerOf);
    expect((await get('/softwaremodules/abc/artifacts')).status).toBe(400);
    expect((await get('/softwaremodules/7/artifacts/0')).status).toBe(404);
    expect((await get('/softwaremodules/7/artifacts/x/download')).status).toBe(400);
    const removed = await fetch(`${base}/softwaremodules/7/artifacts/3`, {
      method: 'DELETE',
      headers: { authorization: basic('reader') },
    });
    expect(removed.status).toBe(403);
    expect({ uploads: uploads.length, calls: calls.length, downloads: downloads.length }).toEqual(before);
  });

  it('lists, reads and deletes through the service, rendering hawkBit’s artifacts, and passes its refusal on', async () => {
    const get = (path: string, authorization = basic('reader')) =>
      fetch(`${base}${path}`, { headers: { authorization } }).then(answerOf);
    expect(await get('/softwaremodules/7/artifacts')).toEqual({
      status: 200,
      body: [rendered(7, 21, 'a.bin'), rendered(7, 22, 'b.bin')],
    });
    expect(calls.at(-1)).toEqual({ method: 'ListArtifacts', request: { id: 7 } });
    expect(await get('/softwaremodules/7/artifacts/3')).toEqual({ status: 200, body: rendered(7, 3, 'a.bin') });
    expect(calls.at(-1)).toEqual({ method: 'GetArtifact', request: { moduleId: 7, artifactId: 3 } });
    expect(await get('/softwaremodules/7/artifacts/404')).toEqual({ status: 404, body: notFound });
    const removed = await fetch(`${base}/softwaremodules/7/artifacts/3`, {
      method: 'DELETE',
      headers: { authorization: admin },
    });
    expect(await answerOf(removed)).toEqual({ status: 204, body: undefined });
    expect(calls.at(-1)).toEqual({ method: 'DeleteArtifact', request: { caller, moduleId: 7, artifactId: 3 } });
  });

  it('streams a download to the client as the service sends it, with the headers a download client relies on', async () => {
    clientBytes = 0;
    const response = await fetch(`${base}/softwaremodules/7/artifacts/3/download`, {
      headers: { authorization: basic('reader') },
    });
    expect(response.status).toBe(200);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'content-type': 'application/octet-stream',
      'content-length': String(whole.length),
      'content-disposition': `attachment; filename="fw _.bin"; filename*=UTF-8''fw%20%C3%BC.bin`,
      etag: '"abc"',
      'accept-ranges': 'bytes',
      'last-modified': 'Fri, 02 Jan 2026 03:04:05 GMT',
    });
    const chunks: Buffer[] = [];
    const reader = response.body!.getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      clientBytes += next.value.length;
      chunks.push(Buffer.from(next.value));
    }
    expect(Buffer.concat(chunks).equals(whole)).toBe(true);
    expect(downloads.at(-1)?.request).toEqual({ moduleId: 7, artifactId: 3 });
  });

  it('answers a range with 206, a range outside the file with 416, a known ETag with 304, and passes a refusal on', async () => {
    const get = (path: string, headers: Record<string, string> = {}) =>
      fetch(`${base}/softwaremodules/7/artifacts${path}`, { headers: { authorization: admin, ...headers } });
    const partial = await get('/3/download', { range: 'bytes=100-199' });
    expect([partial.status, partial.headers.get('content-range'), partial.headers.get('content-length')]).toEqual([
      206,
      `bytes 100-199/${whole.length}`,
      '100',
    ]);
    expect(Buffer.from(await partial.arrayBuffer()).equals(whole.subarray(100, 200))).toBe(true);
    expect(downloads.at(-1)?.request).toEqual({ moduleId: 7, artifactId: 3, range: 'bytes=100-199' });

    const outside = await get('/3/download', { range: 'bytes=5000000-' });
    expect(outside.headers.get('content-range')).toBe(`bytes */${whole.length}`);
    expect(await answerOf(outside)).toEqual({ status: 416, body: outOfRange });

    const unchanged = await get('/3/download', { 'if-none-match': '"abc"' });
    expect([unchanged.status, unchanged.headers.get('etag'), await unchanged.text()]).toEqual([304, '"abc"', '']);
    await until(() => downloads.at(-1)!.cancelled, 'the call of a 304 to be cancelled');

    expect(await answerOf(await get('/404/download'))).toEqual({
      status: 404,
      body: { ...notFound, message: 'Artifact 404' },
    });
  });

  it('cancels the call when the client goes away mid-download', async () => {
    const abort = new AbortController();
    const response = await fetch(`${base}/softwaremodules/7/artifacts/9/download`, {
      headers: { authorization: admin },
      signal: abort.signal,
    });
    const reader = response.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    abort.abort();
    await until(() => downloads.at(-1)!.cancelled, 'the call to be cancelled');
  });

  it('answers 503 when the service cannot be reached', async () => {
    const lonely = await bootstrapService(
      AppModule.forRoot(
        parseUsers('admin:pw:*'),
        { rolloutCommand: 'http://127.0.0.1:1', reporting: 'http://127.0.0.1:1' },
        { backends: { commands: '127.0.0.1:1', queries: '127.0.0.1:1' } },
      ),
      { ...readPlatformConfig('gateway-artifacts-edge-test', 1, {}), httpPort: 0 },
    );
    try {
      const url = `http://127.0.0.1:${(lonely.getHttpServer().address() as AddressInfo).port}/rest/v1/softwaremodules/7/artifacts`;
      const form = multipart('fw.bin');
      const answers = [
        await fetch(url, { headers: { authorization: admin } }),
        await fetch(`${url}/3/download`, { headers: { authorization: admin } }),
        await fetch(url, {
          method: 'POST',
          headers: { authorization: admin, 'content-type': multipartType },
          body: Buffer.concat([form.head, randomBytes(10), form.tail]),
        }),
      ];
      for (const answer of answers) {
        expect(await answerOf(answer)).toMatchObject({
          status: 503,
          body: { errorCode: 'hawkbit.server.error.unavailable' },
        });
      }
    } finally {
      await lonely.close();
    }
  });
});
