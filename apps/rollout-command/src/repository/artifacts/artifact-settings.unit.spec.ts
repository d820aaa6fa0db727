import { readArtifactSettings } from './artifact-settings';

describe('artifact settings', () => {
  it('defaults to the local directory, hawkBit’s quotas and the local gateway', () => {
    expect(readArtifactSettings({})).toEqual({
      directory: '.local/artifacts',
      maxArtifactBytes: 1024 ** 3,
      maxStorageBytes: 20 * 1024 ** 3,
      downloadBaseUrl: 'http://127.0.0.1:8080',
    });
    expect(readArtifactSettings({ FLEETWAVE_LOCAL_DIR: '/data', GATEWAY_PORT: '9000' })).toMatchObject({
      directory: '/data/artifacts',
      downloadBaseUrl: 'http://127.0.0.1:9000',
    });
  });

  it('takes explicit values and refuses nonsense', () => {
    expect(
      readArtifactSettings({
        ARTIFACTS_DIR: '/srv/artifacts',
        ARTIFACT_MAX_SIZE_BYTES: '1000',
        ARTIFACT_MAX_STORAGE_BYTES: '5000',
        ARTIFACT_DOWNLOAD_BASE_URL: 'https://updates.example.com/',
      }),
    ).toEqual({
      directory: '/srv/artifacts',
      maxArtifactBytes: 1000,
      maxStorageBytes: 5000,
      downloadBaseUrl: 'https://updates.example.com',
    });
    expect(() => readArtifactSettings({ ARTIFACT_MAX_SIZE_BYTES: '0' })).toThrow(/ARTIFACT_MAX_SIZE_BYTES/);
    expect(() => readArtifactSettings({ ARTIFACT_MAX_STORAGE_BYTES: '1GB' })).toThrow(/ARTIFACT_MAX_STORAGE_BYTES/);
    expect(() => readArtifactSettings({ ARTIFACT_DOWNLOAD_BASE_URL: 'not a url' })).toThrow(
      /ARTIFACT_DOWNLOAD_BASE_URL/,
    );
  });
});
