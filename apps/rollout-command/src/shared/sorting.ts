import { ApplicationError } from './application-error';

/** Turns hawkBit's `sort=field:ASC,other:DESC` into an ORDER BY over whitelisted columns. */
export function orderBy(sort: string | undefined, columns: Record<string, string>, tieBreaker: string): string {
  if (!sort) return tieBreaker;
  const parts = sort.split(',').map((part) => {
    const [field, direction = 'ASC'] = part.trim().split(':');
    const column = columns[field.toLowerCase()];
    const dir = direction.toUpperCase();
    if (!column || (dir !== 'ASC' && dir !== 'DESC')) {
      throw new ApplicationError(
        'bad_request',
        'hawkbit.server.error.rest.param.sortParamSyntax',
        `cannot sort by "${part}": use field:ASC|DESC with field one of ${Object.keys(columns).join(', ')}`,
      );
    }
    return `${column} ${dir}`;
  });
  return [...parts, tieBreaker].join(', ');
}
