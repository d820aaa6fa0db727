import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

/** hawkBit list parameters: offset, limit (default 50, max 500), sort (`field:ASC`), q (RSQL). */
export class ListQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset = 0;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit = 50;
  @IsOptional() @IsString() sort?: string;
  @IsOptional() @IsString() q?: string;
}

/** hawkBit list envelope. */
export interface Page<T> {
  content: T[];
  total: number;
  size: number;
}

export const page = <T>(content: T[], total: number): Page<T> => ({ content, total, size: content.length });
