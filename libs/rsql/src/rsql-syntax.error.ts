/**
 * A target filter query that cannot be parsed or translated: bad syntax, an unknown field or
 * operator, or a value the field cannot take. It is the caller's mistake, so the gateway maps
 * it to HTTP 400; the message says where (1-based character position) and what was expected.
 */
export class TargetFilterSyntaxError extends Error {
  readonly code: string = 'TARGET_FILTER.INVALID';

  constructor(
    message: string,
    /** 1-based character position in the query the problem was found at, when known. */
    readonly position?: number,
  ) {
    super(message);
    this.name = 'TargetFilterSyntaxError';
  }
}

/**
 * A filter naming a field the filtered entity does not have. Still a malformed filter, but told
 * apart from bad syntax, as hawkBit does (its unsupported-field error).
 */
export class TargetFilterFieldError extends TargetFilterSyntaxError {
  override readonly code = 'TARGET_FILTER.UNKNOWN_FIELD';

  constructor(message: string, position?: number) {
    super(message, position);
    this.name = 'TargetFilterFieldError';
  }
}
