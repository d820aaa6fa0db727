import { FieldLengths } from '@fleetwave/contracts';
import { invalidParameter } from './hawkbit-error';

/** hawkBit's optional `remark` of an approval decision: one bounded string without NUL (400 otherwise). */
export function parseRemark(remark: unknown): string | undefined {
  if (remark === undefined || remark === null) return undefined;
  if (typeof remark !== 'string' || remark.length > FieldLengths.description || remark.includes('\u0000')) {
    throw invalidParameter(`remark must be one text of at most ${FieldLengths.description} characters without NUL`);
  }
  return remark;
}
