import { PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { constraintViolation } from './hawkbit-error';
import { joinProblems, validationMessages } from './validation-messages';

/** Default bound on the items of one create request. */
export const MAX_ITEMS_PER_REQUEST = 1000;

/**
 * A body that is a JSON array of `itemType` (hawkBit's create requests): at most `maxItems`
 * items, each an object validated like a DTO body, unknown properties dropped; a 400 lists
 * the problems by index.
 */
export class ParseItemsPipe<T extends object> implements PipeTransform<unknown, T[]> {
  constructor(
    private readonly itemType: new () => T,
    private readonly maxItems = MAX_ITEMS_PER_REQUEST,
  ) {}

  transform(value: unknown): T[] {
    if (!Array.isArray(value)) throw constraintViolation('request body must be a JSON array');
    if (value.length > this.maxItems) {
      throw constraintViolation(`request body holds ${value.length} items; at most ${this.maxItems} are allowed`);
    }
    const problems: string[] = [];
    const items = value.map((item: unknown, index) => {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        problems.push(`[${index}] must be a JSON object`);
        return item as T;
      }
      const instance = plainToInstance(this.itemType, item);
      const errors = validateSync(instance, { whitelist: true, forbidUnknownValues: true });
      problems.push(...validationMessages(errors).map((message) => `[${index}] ${message}`));
      return instance;
    });
    if (problems.length > 0) throw constraintViolation(joinProblems(problems));
    return items;
  }
}
