import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uniqueName } from '@fleetwave/testing';
import { InventoryHttpFixture } from '../../inventory/testing/inventory-http.fixture';
import { DistributionSetLookup } from '../queries/distribution-set.lookup';
import { ArtifactCleanup } from './artifact-cleanup';

const digests = (bytes: Buffer) => ({
  sha1: createHash('sha1').update(bytes).digest('hex'),
  md5: createHash('md5').update(bytes).digest('hex'),
  sha256: createHash('sha256').update(bytes).digest('hex'),
});

/** Starts the inventory API with artifacts stored in a fresh directory under the given quotas. */
async function startWith(env: Record<string, string>) {
  const directory = await mkdtemp(join(tmpdir(), 'fw-artifacts-'));
  const saved = { ...process.env };
  Object.assign(process.env, { ARTIFACTS_DIR: directory, ARTIFACT_DOWNLOAD_BASE_URL: 'http://gw.test:8080', ...env });
  const fx = new InventoryHttpFixture();
  try {
    await fx.start();
  } finally {
    process.env = saved;
  }
  const base = `http://127.0.0.1:${(fx.app.getHttpServer().address() as AddressInfo).port}/rest/v1`;
  return {
    fx,
    directory,
    base,
    stop: async () => {
      await fx.stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

type Started = Awaited<ReturnType<typeof startWith>>;

const upload = async (
  s: Started,
  moduleId: number,
  bytes: Buffer,
  { partName = 'fw.bin', query = '', fields = {} as Record<string, string> } = {},
) => {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([bytes]), partName);
  const response = await fetch(`${s.base}/softwaremodules/${moduleId}/artifacts${query}`, {
    method: 'POST',
    headers: { 'x-fleetwave-user': 'uploader' },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as any };
};

const newModule = async (s: Started): Promise<number> =>
  (await s.fx.expect(201, 'POST', '/softwaremodules', [{ name: uniqueName('sm'), version: '1.0', type: 'os' }])).body[0]
    .id;

/** Files under the artifact directory: stored ones by content address, and upload leftovers. */
const storedFiles = async (directory: string) => {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(directory.length + 1));
};

describe('software module artifacts (Postgres, HTTP, disk)', () => {
  let s: Started;
  beforeAll(async () => {
    s = await startWith({ ARTIFACT_MAX_SIZE_BYTES: String(256 * 1024) });
  });
  afterAll(() => s?.stop());

  it('stores an upload by content and serves the same bytes, hashes and size back', async () => {
    const moduleId = await newModule(s);
    const bytes = randomBytes(200 * 1024);
    const hashes = digests(bytes);
    const created = await upload(s, moduleId, bytes, { query: '?filename=firmware-1.0.bin' });
    expect(created).toEqual({
      status: 201,
      body: {
        id: expect.any(Number),
        hashes,
        providedFilename: 'firmware-1.0.bin',
        size: bytes.length,
        createdBy: 'uploader',
        createdAt: expect.any(Number),
        lastModifiedBy: 'uploader',
        lastModifiedAt: expect.any(Number),
        _links: {
          self: { href: `/rest/v1/softwaremodules/${moduleId}/artifacts/${created.body.id}` },
          download: { href: `/rest/v1/softwaremodules/${moduleId}/artifacts/${created.body.id}/download` },
        },
      },
    });
    const path = `/softwaremodules/${moduleId}/artifacts`;
    expect((await s.fx.expect(200, 'GET', path)).body).toEqual([created.body]);
    expect((await s.fx.expect(200, 'GET', `${path}/${created.body.id}`)).body).toEqual(created.body);

    const download = await fetch(`${s.base}${path}/${created.body.id}/download`);
    const downloaded = Buffer.from(await download.arrayBuffer());
    expect(download.status).toBe(200);
    expect(download.headers.get('content-length')).toBe(String(bytes.length));
    expect(download.headers.get('etag')).toBe(`"${hashes.sha1}"`);
    expect(download.headers.get('content-disposition')).toContain('filename="firmware-1.0.bin"');
    expect(digests(downloaded)).toEqual(hashes);
    expect(downloaded.equals(bytes)).toBe(true);

    const partial = await fetch(`${s.base}${path}/${created.body.id}/download`, {
      headers: { range: 'bytes=100-199' },
    });
    expect(partial.status).toBe(206);
    expect(partial.headers.get('content-range')).toBe(`bytes 100-199/${bytes.length}`);
    expect(Buffer.from(await partial.arrayBuffer()).equals(bytes.subarray(100, 200))).toBe(true);

    const stored = await storedFiles(s.directory);
    expect(stored).toContain(join(hashes.sha256.slice(0, 2), hashes.sha256));
    expect(stored.filter((f) => f.startsWith('.tmp'))).toEqual([]);
  });

  it('takes checksums and the file name as query or form fields and refuses a mismatch with 400', async () => {
    const moduleId = await newModule(s);
    const bytes = randomBytes(4096);
    const hashes = digests(bytes);
    const accepted = await upload(s, moduleId, bytes, {
      partName: 'from-part.bin',
      query: `?sha1sum=${hashes.sha1}&md5sum=${hashes.md5.toUpperCase()}`,
      fields: { sha256sum: hashes.sha256 },
    });
    expect(accepted).toMatchObject({ status: 201, body: { providedFilename: 'from-part.bin', hashes } });

    for (const [param, hash] of [
      ['sha1sum', 'sha1'],
      ['md5sum', 'md5'],
      ['sha256sum', 'sha256'],
    ]) {
      const refused = await upload(s, moduleId, bytes, {
        query: `?filename=other-${hash}.bin&${param}=${'ab'.repeat(10)}`,
      });
      expect(refused).toEqual({
        status: 400,
        body: {
          exceptionClass: expect.stringMatching(/^Invalid(SHA1|MD5|SHA256)HashException$/),
          errorCode: `hawkbit.server.error.artifact.uploadFailed.checksum.${hash}.match`,
          message: expect.any(String),
        },
      });
    }
    expect((await s.fx.expect(200, 'GET', `/softwaremodules/${moduleId}/artifacts`)).body).toEqual([accepted.body]);
    expect((await storedFiles(s.directory)).filter((f) => f.startsWith('.tmp'))).toEqual([]);
  });

  it('answers 404 for an unknown module or artifact, 409 for a taken file name, 423 for a locked module', async () => {
    const unknown = 987_654_321;
    const bytes = randomBytes(512);
    expect((await upload(s, unknown, bytes)).status).toBe(404);
    expect((await s.fx.send('GET', `/softwaremodules/${unknown}/artifacts`)).status).toBe(404);
    expect((await s.fx.send('GET', `/softwaremodules/${unknown}/artifacts/1`)).status).toBe(404);
    expect((await s.fx.send('GET', `/softwaremodules/${unknown}/artifacts/1/download`)).status).toBe(404);

    const moduleId = await newModule(s);
    const first = await upload(s, moduleId, bytes, { partName: 'same.bin' });
    expect(first.status).toBe(201);
    const other = await newModule(s);
    expect((await s.fx.send('GET', `/softwaremodules/${other}/artifacts/${first.body.id}`)).status).toBe(404);
    expect((await upload(s, moduleId, randomBytes(10), { partName: 'same.bin' })).body).toMatchObject({
      errorCode: 'hawkbit.server.error.repo.entitiyAlreadyExists',
    });

    await s.fx.expect(200, 'PUT', `/softwaremodules/${moduleId}`, { locked: true });
    const locked = await upload(s, moduleId, bytes, { partName: 'later.bin' });
    expect({ status: locked.status, errorCode: locked.body.errorCode }).toEqual({
      status: 423,
      errorCode: 'hawkbit.server.error.entity.locked',
    });
    expect((await s.fx.send('DELETE', `/softwaremodules/${moduleId}/artifacts/${first.body.id}`)).status).toBe(423);
  });

  it('reads a refused upload to its end before answering, so a proxy still sending it gets the 404, not a broken pipe', async () => {
    const url = new URL(`${s.base}/softwaremodules/987654321/artifacts`);
    const chunk = Buffer.alloc(64 * 1024, 1);
    const chunks = 4;
    const outcome = await new Promise<{ status?: number; sentAll: boolean; error?: string }>((resolve) => {
      const req = request(url, {
        method: 'POST',
        headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-length': chunk.length * chunks },
      });
      let status: number | undefined;
      let sentAll = false;
      req.on('response', (answer) => {
        status = answer.statusCode;
        answer.resume();
        answer.on('end', () => resolve({ status, sentAll }));
      });
      req.on('error', (e) => resolve({ status, sentAll, error: (e as NodeJS.ErrnoException).code }));
      // Sent as a proxy streams an upload, a piece at a time: the refusal is decided after the first.
      let sent = 0;
      const next = () => {
        sent += 1;
        if (sent < chunks) req.write(chunk, () => setTimeout(next, 50));
        else req.end(chunk, () => (sentAll = true));
      };
      next();
    });
    expect(outcome).toEqual({ status: 404, sentAll: true });
  });

  it('refuses a file over the size quota with 413, whether announced or discovered while streaming', async () => {
    const moduleId = await newModule(s);
    const streamed = await upload(s, moduleId, randomBytes(256 * 1024 + 1));
    expect({ status: streamed.status, errorCode: streamed.body.errorCode }).toEqual({
      status: 413,
      errorCode: 'hawkbit.server.error.quota.fileSizeExceeded',
    });
    const announced = await upload(s, moduleId, randomBytes(400 * 1024));
    expect({ status: announced.status, errorCode: announced.body.errorCode }).toEqual({
      status: 413,
      errorCode: 'hawkbit.server.error.quota.fileSizeExceeded',
    });
    expect((await upload(s, moduleId, randomBytes(256 * 1024))).status).toBe(201);
    expect((await storedFiles(s.directory)).filter((f) => f.startsWith('.tmp'))).toEqual([]);
  });

  it('deletes an artifact, keeping bytes another artifact still has', async () => {
    const bytes = randomBytes(2048);
    const { sha256 } = digests(bytes);
    const stored = join(s.directory, sha256.slice(0, 2), sha256);
    const [a, b] = [await newModule(s), await newModule(s)];
    const first = (await upload(s, a, bytes)).body;
    const second = (await upload(s, b, bytes)).body;
    await s.fx.expect(204, 'DELETE', `/softwaremodules/${a}/artifacts/${first.id}`);
    expect((await s.fx.send('GET', `/softwaremodules/${a}/artifacts/${first.id}`)).status).toBe(404);
    expect((await s.fx.send('DELETE', `/softwaremodules/${a}/artifacts/${first.id}`)).status).toBe(404);
    expect((await stat(stored)).size).toBe(bytes.length);
    await s.fx.expect(204, 'DELETE', `/softwaremodules/${b}/artifacts/${second.id}`);
    await expect(stat(stored)).rejects.toThrow();
  });

  it('removes at clean-up the bytes of a module deleted with its artifacts, and temp files a crash left', async () => {
    const moduleId = await newModule(s);
    const bytes = randomBytes(3000);
    const { sha256 } = digests(bytes);
    const stored = join(s.directory, sha256.slice(0, 2), sha256);
    expect((await upload(s, moduleId, bytes)).status).toBe(201);
    await s.fx.expect(204, 'DELETE', `/softwaremodules/${moduleId}`);
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
    const artifact = (await upload(s, moduleId, bytes, { partName: 'os.img' })).body;
    const set = (
      await s.fx.expect(201, 'POST', '/distributionsets', [
        { name: uniqueName('ds'), version: '1.0', type: 'os', modules: [{ id: moduleId }] },
      ])
    ).body[0];
    const reference = await s.fx.app.get(DistributionSetLookup).reference(set.id);
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

describe('artifact storage quota (Postgres, HTTP, disk)', () => {
  let s: Started;
  beforeAll(async () => {
    s = await startWith({ ARTIFACT_MAX_SIZE_BYTES: String(64 * 1024), ARTIFACT_MAX_STORAGE_BYTES: String(100 * 1024) });
  });
  afterAll(() => s?.stop());

  it('refuses an upload that would take all artifacts past the storage quota with 413', async () => {
    const moduleId = await newModule(s);
    expect((await upload(s, moduleId, randomBytes(60 * 1024), { partName: 'a.bin' })).status).toBe(201);
    const refused = await upload(s, moduleId, randomBytes(60 * 1024), { partName: 'b.bin' });
    expect({ status: refused.status, errorCode: refused.body.errorCode }).toEqual({
      status: 413,
      errorCode: 'hawkbit.server.error.quota.storageExceeded',
    });
    expect((await upload(s, moduleId, randomBytes(40 * 1024), { partName: 'c.bin' })).status).toBe(201);
  });
});
