import { Socket } from 'node:net';

/** The broker's answer to ApiVersions v3: supported request versions and finalized feature levels. */
export interface BrokerApiVersions {
  apiKeys: Map<number, { minVersion: number; maxVersion: number }>;
  finalizedFeatures: Map<string, number>;
}

/** Kafka protocol API keys used by the assertions. */
export const ApiKey = { produce: 0, fetch: 1, offsetCommit: 8, joinGroup: 11, apiVersions: 18 } as const;

/**
 * Feature level of `metadata.version` → Kafka release (MetadataVersion.java). Kafka reports no
 * software version on the wire; the finalized metadata.version is the closest proof, and a
 * KRaft cluster formatted by 4.x starts at that release's level.
 */
export function releaseOfMetadataVersion(level: number): string | undefined {
  const releases: [number, string][] = [
    [34, '4.5'],
    [31, '4.4'],
    [30, '4.3'],
    [28, '4.2'],
    [26, '4.1'],
    [22, '4.0'],
    [21, '3.9'],
    [20, '3.8'],
    [15, '3.7'],
  ];
  return releases.find(([first]) => level >= first)?.[1];
}

/**
 * Sends one raw ApiVersions v3 request. kafkajs negotiates versions internally but does not
 * expose them nor the finalized features, so the compatibility test asks the broker directly.
 */
export function probeApiVersions(broker: string, timeoutMs = 5_000): Promise<BrokerApiVersions> {
  const [host, port] = broker.split(':');
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let received = Buffer.alloc(0);
    const fail = (error: Error): void => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(timeoutMs, () => fail(new Error(`ApiVersions to ${broker} timed out`)));
    socket.on('error', fail);
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4 || received.length < 4 + received.readInt32BE(0)) return;
      socket.end();
      try {
        resolve(parseResponse(received.subarray(4, 4 + received.readInt32BE(0))));
      } catch (error) {
        reject(error as Error);
      }
    });
    socket.connect(Number(port), host, () => socket.write(apiVersionsRequest()));
  });
}

function apiVersionsRequest(): Buffer {
  const clientId = Buffer.from('fleetwave-probe');
  const compact = (text: string): Buffer => Buffer.concat([uvarint(text.length + 1), Buffer.from(text)]);
  const header = Buffer.alloc(10);
  header.writeInt16BE(ApiKey.apiVersions, 0);
  header.writeInt16BE(3, 2);
  header.writeInt32BE(1, 4);
  header.writeInt16BE(clientId.length, 8);
  const body = Buffer.concat([
    header,
    clientId,
    uvarint(0), // request header tagged fields
    compact('fleetwave-probe'),
    compact('1.0.0'),
    uvarint(0), // body tagged fields
  ]);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length, 0);
  return Buffer.concat([size, body]);
}

function uvarint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

class Reader {
  private offset = 0;
  constructor(private readonly buffer: Buffer) {}
  int16(): number {
    const value = this.buffer.readInt16BE(this.offset);
    this.offset += 2;
    return value;
  }
  int32(): number {
    const value = this.buffer.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }
  uvarint(): number {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = this.buffer[this.offset++];
      value |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value;
    }
  }
  compactString(): string {
    const length = this.uvarint() - 1;
    const text = this.buffer.toString('utf8', this.offset, this.offset + length);
    this.offset += length;
    return text;
  }
  skip(bytes: number): void {
    this.offset += bytes;
  }
  skipTaggedFields(): void {
    for (let count = this.uvarint(); count > 0; count--) {
      this.uvarint();
      this.skip(this.uvarint());
    }
  }
}

function parseResponse(frame: Buffer): BrokerApiVersions {
  const reader = new Reader(frame);
  reader.int32(); // correlation id; ApiVersions responses always use header v0
  const errorCode = reader.int16();
  if (errorCode !== 0) throw new Error(`ApiVersions failed with error code ${errorCode}`);
  const apiKeys = new Map<number, { minVersion: number; maxVersion: number }>();
  for (let count = reader.uvarint() - 1; count > 0; count--) {
    const key = reader.int16();
    apiKeys.set(key, { minVersion: reader.int16(), maxVersion: reader.int16() });
    reader.skipTaggedFields();
  }
  reader.int32(); // throttle time
  const finalizedFeatures = new Map<string, number>();
  for (let tags = reader.uvarint(); tags > 0; tags--) {
    const tag = reader.uvarint();
    const size = reader.uvarint();
    if (tag !== 2) {
      reader.skip(size);
      continue;
    }
    for (let count = reader.uvarint() - 1; count > 0; count--) {
      const name = reader.compactString();
      const maxLevel = reader.int16();
      reader.int16(); // min level
      reader.skipTaggedFields();
      finalizedFeatures.set(name, maxLevel);
    }
  }
  return { apiKeys, finalizedFeatures };
}
