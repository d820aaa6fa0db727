import { ConfigError, intSetting } from '@fleetwave/platform';

/** Injection token of the {@link ArtifactSettings} the service was started with. */
export const ARTIFACT_SETTINGS = Symbol('ARTIFACT_SETTINGS');

/** Where artifacts are stored, how large they may be, and where devices download them. */
export interface ArtifactSettings {
  /** Root of the content-addressed files (and of the temp files of uploads in progress). */
  directory: string;
  /** Largest artifact in bytes (hawkBit's maxArtifactSize). */
  maxArtifactBytes: number;
  /** Largest sum of all artifacts' sizes in bytes (hawkBit's maxArtifactStorage). */
  maxStorageBytes: number;
  /** Base URL of the gateway, as devices reach it; download links in device instructions start with it. */
  downloadBaseUrl: string;
}

const GiB = 1024 * 1024 * 1024;

/**
 * Reads ARTIFACTS_DIR (default `artifacts` in FLEETWAVE_LOCAL_DIR, `.local`), ARTIFACT_MAX_SIZE_BYTES (default 1 GiB),
 * ARTIFACT_MAX_STORAGE_BYTES (default 20 GiB) and ARTIFACT_DOWNLOAD_BASE_URL (default the local
 * gateway, on GATEWAY_PORT or 8080) once at start-up; nonsense stops the start.
 */
export function readArtifactSettings(env: Record<string, string | undefined>): ArtifactSettings {
  const base = env.ARTIFACT_DOWNLOAD_BASE_URL || `http://127.0.0.1:${env.GATEWAY_PORT || '8080'}`;
  try {
    new URL(base);
  } catch {
    throw new ConfigError(`ARTIFACT_DOWNLOAD_BASE_URL must be a URL, got "${base}"`);
  }
  return {
    directory: env.ARTIFACTS_DIR || `${env.FLEETWAVE_LOCAL_DIR || '.local'}/artifacts`,
    maxArtifactBytes: intSetting(env, 'ARTIFACT_MAX_SIZE_BYTES', GiB, 1),
    maxStorageBytes: intSetting(env, 'ARTIFACT_MAX_STORAGE_BYTES', 20 * GiB, 1),
    downloadBaseUrl: base.replace(/\/+$/, ''),
  };
}
