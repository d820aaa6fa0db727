import type { INestApplication } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bootstrapService, readPlatformConfig } from '@fleetwave/platform';
import { AppModule } from '../app.module';
import { parseUsers } from '../auth/users';

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

interface Received {
  url: string;
  headers: IncomingMessage['headers'];
  bytes: Buffer;
}

/**
 * The gateway started as the service starts, in front of an upstream that observes the flow of
 * bytes: an upload's first bytes must reach the upstream before the client sends the rest, and a
 * download's first bytes must reach the client before the upstream sends the rest. A gateway that
 * held a whole body before forwarding it would stall both exchanges.
 */
describe('gateway streaming pass-through for artifacts', () => {
  const received: Received[] = [];
  let upstreamBytes = 0;
  let clientBytes = 0;
  const first = randomBytes(256 * 1024);
  const rest = randomBytes(3 * 1024 * 1024);
  const whole = Buffer.concat([first, rest]);
  let upstream: Server;
  let gateway: INestApplication;
  let base: string;
  const basic = (user: string) => `Basic ${Buffer.from(`${user}:pw`).toString('base64')}`;

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      const url = req.url ?? '';
      if (req.method === 'GET' && url.endsWith('/download')) {
        received.push({ url, headers: req.headers, bytes: Buffer.alloc(0) });
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-length': String(whole.length),
          'content-disposition': 'attachment; filename="fw.bin"',
          etag: '"abc"',
        });
        res.write(first);
        until(() => clientBytes >= first.length, 'the client to receive the first bytes').then(
          () => res.end(rest),
          () => res.end(),
        );
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => {
        upstreamBytes += chunk.length;
        chunks.push(chunk);
      });
      req.on('end', () => {
        const bytes = Buffer.concat(chunks);
        received.push({ url, headers: req.headers, bytes });
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ sha256: sha256(bytes) }));
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    gateway = await bootstrapService(
      AppModule.forRoot(parseUsers('admin:pw:*;reader:pw:READ_REPOSITORY'), {
        rolloutCommand: upstreamUrl,
        reporting: upstreamUrl,
      }),
      { ...readPlatformConfig('gateway-streaming-test', 1, {}), httpPort: 0 },
    );
    base = `http://127.0.0.1:${(gateway.getHttpServer().address() as AddressInfo).port}/rest/v1`;
  });

  afterAll(async () => {
    await gateway?.close();
    await new Promise((resolve) => upstream?.close(resolve));
  });

  /** A body whose second part is sent only once the upstream has the first. */
  const pacedBody = () =>
    new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(first);
        await until(() => upstreamBytes >= first.length, 'the upstream to receive the first bytes');
        controller.enqueue(rest);
        controller.close();
      },
    });

  it('streams a multipart upload larger than the JSON body limit to the upstream as it arrives', async () => {
    upstreamBytes = 0;
    const response = await fetch(`${base}/softwaremodules/7/artifacts?filename=fw.bin`, {
      method: 'POST',
      headers: { authorization: basic('admin'), 'content-type': 'multipart/form-data; boundary=xyz' },
      body: pacedBody(),
      duplex: 'half',
    } as RequestInit);
    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 201,
      body: { sha256: sha256(whole) },
    });
    const last = received[received.length - 1];
    expect(last.url).toBe('/rest/v1/softwaremodules/7/artifacts?filename=fw.bin');
    expect(last.bytes.equals(whole)).toBe(true);
    expect(last.headers).toMatchObject({
      'content-type': 'multipart/form-data; boundary=xyz',
      'x-fleetwave-user': 'admin',
      'x-fleetwave-permissions': expect.stringContaining('CREATE_REPOSITORY'),
    });
  });

  it('streams a download to the client as the upstream sends it, with its headers and the range asked for', async () => {
    clientBytes = 0;
    const response = await fetch(`${base}/softwaremodules/7/artifacts/3/download`, {
      headers: { authorization: basic('reader'), range: 'bytes=0-' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(whole.length));
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="fw.bin"');
    expect(response.headers.get('etag')).toBe('"abc"');
    const chunks: Buffer[] = [];
    const reader = response.body!.getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      clientBytes += next.value.length;
      chunks.push(Buffer.from(next.value));
    }
    expect(Buffer.concat(chunks).equals(whole)).toBe(true);
    expect(received[received.length - 1]).toMatchObject({
      url: '/rest/v1/softwaremodules/7/artifacts/3/download',
      headers: { range: 'bytes=0-', 'x-fleetwave-user': 'reader' },
    });
  });

  it('authenticates and authorizes an upload before forwarding any of it', async () => {
    const before = received.length;
    const send = (authorization?: string) =>
      fetch(`${base}/softwaremodules/7/artifacts`, {
        method: 'POST',
        headers: { ...(authorization ? { authorization } : {}), 'content-type': 'multipart/form-data; boundary=xyz' },
        body: first,
      });
    const anonymous = await send();
    const reader = await send(basic('reader'));
    expect([anonymous.status, ((await anonymous.json()) as { errorCode: string }).errorCode]).toEqual([
      401,
      'hawkbit.server.error.unauthorized',
    ]);
    expect([reader.status, ((await reader.json()) as { errorCode: string }).errorCode]).toEqual([
      403,
      'hawkbit.server.error.insufficientpermission',
    ]);
    expect(received.length).toBe(before);
  });

  it('still refuses multipart bodies elsewhere with 415', async () => {
    const response = await fetch(`${base}/targets`, {
      method: 'POST',
      headers: { authorization: basic('admin'), 'content-type': 'multipart/form-data; boundary=xyz' },
      body: first,
    });
    expect([response.status, ((await response.json()) as { errorCode: string }).errorCode]).toEqual([
      415,
      'hawkbit.server.error.rest.mediaType.unsupported',
    ]);
  });
});
