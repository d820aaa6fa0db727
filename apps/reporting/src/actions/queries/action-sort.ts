/** A `sort` parameter the list cannot honour; rendered as hawkBit's 400. */
export class InvalidSortParameter extends Error {
  readonly kind = 'bad_request';
  readonly code = 'hawkbit.server.error.rest.param.sortParamSyntax';
  constructor(message: string) {
    super(message);
    this.name = 'SortParameterSyntaxErrorException';
  }
}

/** Sort fields of action lists (case-insensitive), as hawkBit names them, with their columns. */
export const actionSortColumns: Record<string, string> = {
  id: 'a.id',
  status: 'a.active',
  detailstatus: 'a.status',
  laststatuscode: 'a.last_status_code',
  weight: 'a.weight',
  createdat: 'a.created_at',
  lastmodifiedat: 'a.last_modified_at',
};

/** Sort fields of an action's status history; `reportedAt` is hawkBit's name, `createdAt` its newer one. */
export const statusSortColumns: Record<string, string> = {
  id: 's.seq',
  reportedat: 's.reported_at',
  createdat: 's.reported_at',
  timestamp: 's.occurred_at',
};

/**
 * Turns hawkBit's `sort=field:ASC,other:DESC` into an ORDER BY over whitelisted columns, ending
 * with `tieBreak` so that pages never overlap; hawkBit's lists of actions and of action statuses
 * default to the newest first (`id:DESC`).
 *
 * @throws InvalidSortParameter for an unknown field or direction.
 */
export function orderByOf(sort: string | undefined, columns: Record<string, string>, tieBreak: string): string {
  if (!sort || sort.trim() === '') return tieBreak;
  const parts = sort.split(',').map((part) => {
    const [field = '', direction = 'ASC', ...rest] = part.trim().split(':');
    const column = columns[field.trim().toLowerCase()];
    const dir = direction.trim().toUpperCase();
    if (!column || (dir !== 'ASC' && dir !== 'DESC') || rest.length > 0) {
      throw new InvalidSortParameter(
        `cannot sort by "${part}": use field:ASC|DESC with field one of ${Object.keys(columns).join(', ')}`,
      );
    }
    // Nulls (no status code yet, an unknown rollout) sort as the smallest value, in both directions alike.
    return `${column} ${dir} ${dir === 'ASC' ? 'NULLS FIRST' : 'NULLS LAST'}`;
  });
  return [...parts, tieBreak].join(', ');
}
