/** Application errors with stable codes; the HTTP layer maps the kind to a status. */
export type ErrorKind = 'bad_request' | 'not_found' | 'conflict' | 'quota';

export class ApplicationError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApplicationError';
  }
}

export const notFound = (entity: string, id: string | number): ApplicationError =>
  new ApplicationError(
    'not_found',
    'hawkbit.server.error.repo.entitiyNotFound',
    `${entity} with given identifier {${id}} does not exist.`,
  );
