import { Type } from 'class-transformer';
import { IsOptional } from 'class-validator';
import { BoundedText, FieldLengths, IsIntInRange, MAX_ENTITY_ID } from '@fleetwave/contracts';

/** hawkBit's paging bounds: `limit` defaults to 50 and may not exceed 500. */
export const Paging = { defaultLimit: 50, maxLimit: 500 } as const;

/**
 * hawkBit list parameters: offset, limit, sort (`field:ASC`), q (RSQL). The global validation
 * pipe turns the query into this class, so the defaults apply when a parameter is absent and
 * `limit=abc`, `limit=-1`, `limit=100000` or `offset=-5` are 400s.
 */
export class ListQuery {
  @IsOptional() @Type(() => Number) @IsIntInRange(0, MAX_ENTITY_ID) offset: number = 0;
  @IsOptional() @Type(() => Number) @IsIntInRange(1, Paging.maxLimit) limit: number = Paging.defaultLimit;
  @IsOptional() @BoundedText(FieldLengths.sort) sort?: string;
  @IsOptional() @BoundedText(FieldLengths.targetFilterQuery) q?: string;
}

/** hawkBit list envelope. */
export interface Page<T> {
  content: T[];
  total: number;
  size: number;
}

export const page = <T>(content: T[], total: number): Page<T> => ({ content, total, size: content.length });
