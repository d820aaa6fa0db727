import { ValidationPipe } from '@nestjs/common';
import { constraintViolation } from './hawkbit-error';
import { joinProblems, validationMessages } from './validation-messages';

/**
 * The global validation pipe: every body and query DTO is transformed (so declared defaults such
 * as `limit` 50 apply) and validated; unknown properties are dropped; failures are hawkBit 400s.
 */
export class HawkbitValidationPipe extends ValidationPipe {
  constructor() {
    super({
      transform: true,
      whitelist: true,
      forbidUnknownValues: true,
      exceptionFactory: (errors) => constraintViolation(joinProblems(validationMessages(errors))),
    });
  }

  /** Path and query values stay strings here: each one's own pipe (ParseIdPipe …) parses it strictly. */
  protected override transformPrimitive(value: unknown): unknown {
    return value;
  }
}
