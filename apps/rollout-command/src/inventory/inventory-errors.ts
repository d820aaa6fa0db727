import { HawkbitHttpError, sqlState, SqlStates } from '@fleetwave/platform';
import { ApplicationError } from '../shared/application-error';

export const alreadyExists = (what: string): ApplicationError =>
  new ApplicationError('conflict', 'hawkbit.server.error.repo.entitiyAlreayExists', `${what} already exists`);

export const badRequest = (message: string): ApplicationError =>
  new ApplicationError('bad_request', 'hawkbit.server.error.repo.constraintViolation', message);

/** A change refused because another entity still uses this one (hawkBit answers 409 too). */
export const stillInUse = (message: string): ApplicationError =>
  new ApplicationError('conflict', 'hawkbit.server.error.entityreadonly', message);

/** A change to an entity a rollout has locked (hawkBit's 423). */
export const entityLocked = (message: string): HawkbitHttpError =>
  new HawkbitHttpError(423, {
    exceptionClass: 'LockedException',
    errorCode: 'hawkbit.server.error.entitiylocked',
    message,
  });

/** Runs a write and turns a unique violation into hawkBit's 409. */
export async function uniquely<T>(what: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (sqlState(error) === SqlStates.uniqueViolation) throw alreadyExists(what);
    throw error;
  }
}
