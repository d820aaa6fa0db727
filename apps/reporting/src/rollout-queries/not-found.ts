/** An id the read model does not hold (yet); rendered as hawkBit's 404. */
export class NotFoundInReadModel extends Error {
  readonly kind = 'not_found';
  readonly code = 'hawkbit.server.error.repo.entitiyNotFound';
  constructor(entity: string, id: number) {
    super(`${entity} with given identifier {${id}} does not exist.`);
    this.name = 'EntityNotFoundException';
  }
}
