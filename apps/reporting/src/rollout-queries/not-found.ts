/** An id the read model does not hold (yet); rendered as hawkBit's 404. */
export class NotFoundInReadModel extends Error {
  readonly kind = 'not_found';
  readonly code = 'hawkbit.server.error.repo.entitiyNotFound';
  constructor(entity: string, id: number) {
    super(`${entity} with given identifier {${id}} does not exist.`);
    this.name = 'EntityNotFoundException';
  }
}

/** A query parameter the read model cannot honour; rendered as a 400. */
export class UnsupportedQuery extends Error {
  readonly kind = 'bad_request';
  readonly code = 'hawkbit.server.error.rest.param.invalid';
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedQueryException';
  }
}
