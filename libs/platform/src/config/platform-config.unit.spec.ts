import { ConfigError, readPlatformConfig } from './platform-config';

describe('readPlatformConfig size limits', () => {
  it('defaults the event and produce-request limits below the broker limit', () => {
    const config = readPlatformConfig('reporting', 8084, {});
    expect(config.maxEventBytes).toBe(256 * 1024);
    expect(config.kafkaMaxRequestBytes).toBe(512 * 1024);
  });

  it('reads both from the environment', () => {
    const config = readPlatformConfig('reporting', 8084, {
      EVENT_STORE_MAX_EVENT_BYTES: '100000',
      KAFKA_MAX_REQUEST_BYTES: '300000',
    });
    expect(config).toMatchObject({ maxEventBytes: 100_000, kafkaMaxRequestBytes: 300_000 });
  });

  it.each([
    ['EVENT_STORE_MAX_EVENT_BYTES', '2000000'],
    ['EVENT_STORE_MAX_EVENT_BYTES', '12.5'],
    ['KAFKA_MAX_REQUEST_BYTES', '1048576'],
    ['KAFKA_MAX_REQUEST_BYTES', 'lots'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    const read = (): unknown => readPlatformConfig('reporting', 8084, { [name]: value });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(name);
  });
});
