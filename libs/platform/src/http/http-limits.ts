import { intSetting } from '../config/platform-config';

/** Limits every HTTP edge applies before a request reaches a controller. */
export interface HttpLimits {
  /** Largest request body in bytes (after decompression); larger ones get a 413. */
  maxBodyBytes: number;
  /** Deepest nesting of arrays and objects in a JSON body; deeper ones get a 400. */
  maxJsonDepth: number;
}

export const defaultHttpLimits: HttpLimits = { maxBodyBytes: 1024 * 1024, maxJsonDepth: 32 };

/** Reads HTTP_MAX_BODY_BYTES and HTTP_MAX_JSON_DEPTH once at start-up, failing on nonsense. */
export function readHttpLimits(env: Record<string, string | undefined> = process.env): HttpLimits {
  return {
    maxBodyBytes: intSetting(env, 'HTTP_MAX_BODY_BYTES', defaultHttpLimits.maxBodyBytes, 1024, 256 * 1024 * 1024),
    maxJsonDepth: intSetting(env, 'HTTP_MAX_JSON_DEPTH', defaultHttpLimits.maxJsonDepth, 2, 1000),
  };
}
