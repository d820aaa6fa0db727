import { createHash, randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Topics } from '@fleetwave/contracts';
import {
  eventually,
  parseJson,
  readTopicRange,
  testKafkaBrokers,
  topicEndOffsets,
  uniqueName,
  type RolloutView,
} from '@fleetwave/testing';
import { admin, command, fleet, untilStatus } from './testing/rollout-steps';

/**
 * Artifacts through the gateway: an upload is streamed to rollout-command and stored with the
 * hashes of its bytes, a download through the gateway gives the same bytes back, and a rollout
 * of a set holding the module sends its devices instructions that list the artifact with a
 * download link that works.
 */
const digests = (bytes: Buffer) => ({
  sha1: createHash('sha1').update(bytes).digest('hex'),
  md5: createHash('md5').update(bytes).digest('hex'),
  sha256: createHash('sha256').update(bytes).digest('hex'),
});
const authorization = `Basic ${Buffer.from('admin:admin').toString('base64')}`;
const kafka = new Kafka({
  clientId: uniqueName('e2e-artifacts'),
  brokers: testKafkaBrokers(),
  logLevel: logLevel.NOTHING,
});

const upload = async (moduleId: number, bytes: Buffer, filename: string, query = '') => {
  const form = new FormData();
  form.append('file', new Blob([bytes]), filename);
  const response = await fetch(`${admin.gatewayUrl}/rest/v1/softwaremodules/${moduleId}/artifacts${query}`, {
    method: 'POST',
    headers: { authorization },
    body: form,
    signal: AbortSignal.timeout(60_000),
  });
  return { status: response.status, body: (await response.json()) as any };
};

const download = async (url: string): Promise<Buffer> => {
  const response = await fetch(url, { headers: { authorization }, signal: AbortSignal.timeout(60_000) });
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
  return Buffer.from(await response.arrayBuffer());
};

const newModule = async (name: string): Promise<number> =>
  (
    await admin.expect<{ id: number }[]>(201, 'POST', '/softwaremodules', [
      { name, version: '1.0.0', type: 'os', vendor: 'fleetwave' },
    ])
  )[0].id;

describe('artifacts through the gateway', () => {
  it('uploads a file larger than the JSON body limit and downloads the same bytes; checks checksums', async () => {
    const moduleId = await newModule(uniqueName('fw'));
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const hashes = digests(bytes);
    const created = await upload(moduleId, bytes, 'image.bin', `?sha256sum=${hashes.sha256}&sha1sum=${hashes.sha1}`);
    expect(created).toMatchObject({ status: 201, body: { providedFilename: 'image.bin', size: bytes.length, hashes } });

    const listed = await admin.expect<{ id: number }[]>(200, 'GET', `/softwaremodules/${moduleId}/artifacts`);
    expect(listed).toEqual([created.body]);
    const downloaded = await download(`${admin.gatewayUrl}${created.body._links.download.href}`);
    expect(digests(downloaded)).toEqual(hashes);
    expect(downloaded.equals(bytes)).toBe(true);

    const mismatch = await upload(moduleId, bytes, 'other.bin', `?md5sum=${'0'.repeat(32)}`);
    expect({ status: mismatch.status, errorCode: mismatch.body.errorCode }).toEqual({
      status: 400,
      errorCode: 'hawkbit.server.error.artifact.uploadFailed.checksum.md5.match',
    });
    expect((await upload(987_654_321, bytes.subarray(0, 1024), 'x.bin')).status).toBe(404);
    expect(await admin.expect(200, 'GET', `/softwaremodules/${moduleId}/artifacts`)).toHaveLength(1);
  });

  it('lists the artifacts of the rollout’s set in the device instructions, with links that download them', async () => {
    const prefix = uniqueName('art');
    await fleet(prefix, ['succeed', 2]);
    const moduleId = await newModule(`firmware-${prefix}`);
    const bytes = randomBytes(64 * 1024);
    const artifact = (await upload(moduleId, bytes, 'firmware.swu')).body;
    const [set] = await admin.expect<{ id: number }[]>(201, 'POST', '/distributionsets', [
      { name: `release-${prefix}`, version: '1.0.0', type: 'os', modules: [{ id: moduleId }] },
    ]);
    const rollout = await admin.expect<RolloutView>(201, 'POST', '/rollouts', {
      name: prefix,
      distributionSetId: set.id,
      targetFilterQuery: `controllerId==${prefix}-*`,
      amountGroups: 1,
      successCondition: { condition: 'THRESHOLD', expression: 100 },
    });
    await untilStatus(rollout.id, 'ready');
    const kafkaAdmin = kafka.admin();
    await kafkaAdmin.connect();
    const from = await topicEndOffsets(kafkaAdmin, Topics.deviceOutbound).finally(() => kafkaAdmin.disconnect());
    await command(rollout.id, 'start');
    await untilStatus(rollout.id, 'finished');

    const instructions = await eventually(
      async () => {
        const found = (await readTopicRange(kafka, Topics.deviceOutbound, { from, timeoutMs: 60_000 }))
          .map((r) =>
            parseJson<{ type?: string; rolloutId?: number; controllerId?: string; softwareModules?: unknown[] }>(
              r.value,
            ),
          )
          .filter((m) => m?.type === 'DOWNLOAD_AND_INSTALL' && m.rolloutId === rollout.id);
        expect(new Set(found.map((m) => m?.controllerId)).size).toBe(2);
        return found;
      },
      { timeoutMs: 60_000, description: 'instructions of the rollout on device.outbound' },
    );
    const expected = {
      filename: 'firmware.swu',
      size: bytes.length,
      hashes: digests(bytes),
      downloadUrl: `${admin.gatewayUrl}/rest/v1/softwaremodules/${moduleId}/artifacts/${artifact.id}/download`,
    };
    for (const instruction of instructions) {
      expect(instruction?.softwareModules).toEqual([expect.objectContaining({ id: moduleId, artifacts: [expected] })]);
    }
    expect((await download(expected.downloadUrl)).equals(bytes)).toBe(true);
  });
});
