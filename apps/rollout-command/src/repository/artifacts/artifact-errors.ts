import { entityLocked } from '../../inventory/inventory-errors';
import { HawkbitHttpError } from '@fleetwave/platform';
import type { HashName } from './domain/artifact-rules';

/** hawkBit's answers to artifact uploads it refuses, with its exception classes and codes. */

const hashClass: Record<HashName, string> = {
  md5: 'InvalidMD5HashException',
  sha1: 'InvalidSHA1HashException',
  sha256: 'InvalidSHA256HashException',
};

/** The bytes' hash differs from the one the uploader gave (400). */
export const checksumMismatch = (hash: HashName): HawkbitHttpError =>
  new HawkbitHttpError(400, {
    exceptionClass: hashClass[hash],
    errorCode: `hawkbit.server.error.artifact.uploadFailed.checksum.${hash}.match`,
    message: `Upload of artifact failed as the provided ${hash.toUpperCase()} checksum did not match with the provided artifact.`,
  });

/** An upload without a usable file part or file name (400). */
export const uploadFailed = (message: string): HawkbitHttpError =>
  new HawkbitHttpError(400, {
    exceptionClass: 'ArtifactUploadFailedException',
    errorCode: 'hawkbit.server.error.artifact.uploadFailed',
    message,
  });

/** One artifact larger than the configured maximum (413). */
export const fileSizeExceeded = (maxBytes: number): HawkbitHttpError =>
  new HawkbitHttpError(413, {
    exceptionClass: 'FileSizeQuotaExceededException',
    errorCode: 'hawkbit.server.error.quota.fileSizeExceeded',
    message: `Maximum file size exceeded: an artifact may have at most ${maxBytes} bytes.`,
  });

/** All artifacts together would exceed the configured storage (413). */
export const storageExceeded = (maxBytes: number): HawkbitHttpError =>
  new HawkbitHttpError(413, {
    exceptionClass: 'StorageQuotaExceededException',
    errorCode: 'hawkbit.server.error.quota.storageExceeded',
    message: `Storage quota exceeded: all artifacts together may have at most ${maxBytes} bytes.`,
  });

/** The software module is locked: its artifacts cannot change (423). */
export const moduleLocked = (moduleId: number): HawkbitHttpError =>
  entityLocked(`SoftwareModule with given identifier {${moduleId}} is locked.`);

/** A download whose range lies outside the file (416). */
export const rangeNotSatisfiable = (size: number): HawkbitHttpError =>
  new HawkbitHttpError(416, {
    exceptionClass: 'RangeNotSatisfiableException',
    errorCode: 'hawkbit.server.error.artifact.rangeNotSatisfiable',
    message: `the requested range is not within the artifact's ${size} bytes`,
  });
