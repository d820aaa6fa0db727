import { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { HawkbitValidationPipe } from './hawkbit-validation.pipe';

/**
 * A body that is one `bodyType` object, validated exactly as {@link HawkbitValidationPipe}
 * validates a DTO body: transformed, unknown properties dropped, failures hawkBit 400s. For
 * handlers whose parameter type is not the DTO class (a generic one is reflected as `Object`,
 * which the global pipe passes through unchecked). Use an instance: `@Body(new ParseBodyPipe(Dto))`.
 */
export class ParseBodyPipe<T extends object> implements PipeTransform<unknown, Promise<T>> {
  private readonly validation = new HawkbitValidationPipe();

  constructor(private readonly bodyType: new () => T) {}

  transform(value: unknown, metadata: ArgumentMetadata): Promise<T> {
    return this.validation.transform(value, { ...metadata, metatype: this.bodyType });
  }
}
