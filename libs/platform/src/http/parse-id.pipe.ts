import { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { FieldLengths, MAX_ENTITY_ID } from '@fleetwave/contracts';
import { entityNotFound, invalidParameter, quoted } from './hawkbit-error';

/**
 * A numeric path id: digits only (else 400); a number no entity can have, 0 or beyond
 * {@link MAX_ENTITY_ID}, is an unknown id (404). Use an instance: `@Param('id', new ParseIdPipe('Rollout'))`.
 */
export class ParseIdPipe implements PipeTransform<unknown, number> {
  constructor(private readonly entity: string) {}

  transform(value: unknown, metadata: ArgumentMetadata): number {
    const text = String(value);
    if (!/^\d+$/.test(text))
      throw invalidParameter(`${metadata.data ?? 'id'} must be a numeric id, got ${quoted(text)}`);
    const id = text.length > 16 ? Infinity : Number(text);
    if (id < 1 || id > MAX_ENTITY_ID) throw entityNotFound(this.entity, text.slice(0, 64));
    return id;
  }
}

/** A controllerId in a path: 1..256 characters without NUL (400 otherwise). */
export class ParseControllerIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    const text = String(value);
    if (text.length === 0 || text.length > FieldLengths.controllerId || text.includes('\u0000')) {
      throw invalidParameter(
        `controllerId must have 1 to ${FieldLengths.controllerId} characters and no NUL, got ${quoted(text)}`,
      );
    }
    return text;
  }
}
