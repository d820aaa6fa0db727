import { compileColumnFilter, type FilterColumn } from '../shared/column-filter';

/** A rollout filter as a condition on the rollout view aliased `r`, with named parameters. */
export interface RolloutFilterSql {
  where: string;
  params: Record<string, unknown>;
}

/** Fields of `q` on rollouts (case-insensitive), as hawkBit names them, with their view columns. */
const fields: Record<string, FilterColumn> = {
  id: { column: 'r.id', kind: 'number' },
  name: { column: 'r.name', kind: 'text' },
  description: { column: "coalesce(r.description, '')", kind: 'text' },
  status: { column: 'r.status', kind: 'text' },
  type: { column: 'r.action_type', kind: 'text' },
  createdat: { column: 'r.created_at', kind: 'number' },
  createdby: { column: 'r.created_by', kind: 'text' },
  lastmodifiedat: { column: 'r.last_modified_at', kind: 'number' },
  lastmodifiedby: { column: 'r.last_modified_by', kind: 'text' },
  'distributionset.id': { column: 'r.distribution_set_id', kind: 'number' },
};

/**
 * Translates `q` on rollouts into SQL over the rollout view (see {@link compileColumnFilter}),
 * with TypeORM's named parameters.
 *
 * @throws TargetFilterSyntaxError for malformed queries, unknown fields and values a field cannot take.
 */
export function compileRolloutFilter(query: string): RolloutFilterSql {
  const params: Record<string, unknown> = {};
  const param = (value: unknown): string => {
    const name = `rq${Object.keys(params).length}`;
    params[name] = value;
    return `:${name}`;
  };
  return { where: compileColumnFilter(query, 'rollouts', fields, param), params };
}
