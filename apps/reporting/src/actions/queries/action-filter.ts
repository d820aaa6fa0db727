import { TargetFilterSyntaxError, type RsqlComparison } from '@fleetwave/rsql';
import { compileColumnFilter, type BindParam, type FilterField } from '../../shared/column-filter';

/** A condition on `action_views` (aliased `a`) with positional parameters after the caller's. */
export interface ActionFilterSql {
  where: string;
  params: unknown[];
}

/**
 * Fields of `q` on actions (case-insensitive), as hawkBit names them: `status` is hawkBit's
 * pending/finished (whether the action is active), `detailStatus` the action's own status, and
 * `target.id` the controllerId, as everywhere in hawkBit's API.
 */
const fields: Record<string, FilterField> = {
  id: { column: 'a.id', kind: 'number' },
  status: { compile: (node, param) => compileActive(node, 'a.active', param) },
  detailstatus: { column: 'a.status', kind: 'text' },
  laststatuscode: { column: 'a.last_status_code', kind: 'number' },
  weight: { column: 'a.weight', kind: 'number' },
  createdat: { column: 'a.created_at', kind: 'number' },
  lastmodifiedat: { column: 'a.last_modified_at', kind: 'number' },
  'target.id': { column: 'a.controller_id', kind: 'text' },
  'target.controllerid': { column: 'a.controller_id', kind: 'text' },
  'rollout.id': { column: 'a.rollout_id', kind: 'number' },
  'rollout.name': { column: "coalesce(a.rollout_name, '')", kind: 'text' },
  'rolloutgroup.id': { column: 'a.group_id', kind: 'number' },
  'rolloutgroup.name': { column: "coalesce(a.group_name, '')", kind: 'text' },
  'distributionset.id': { column: 'a.distribution_set_id', kind: 'number' },
  'distributionset.name': { column: "coalesce(a.distribution_set_name, '')", kind: 'text' },
  'distributionset.version': { column: "coalesce(a.distribution_set_version, '')", kind: 'text' },
};

/** The fields `q` takes on actions, for error messages and documentation. */
export const actionFilterFields = Object.keys(fields);

const activeValues: Record<string, boolean> = { pending: true, finished: false };

/**
 * Translates `q` on actions into SQL over `action_views` (see {@link compileColumnFilter});
 * `firstParam` is the number of the first `$n` the condition may use.
 *
 * @throws TargetFilterSyntaxError for malformed queries, unknown fields and values a field cannot take.
 */
export function compileActionFilter(query: string, firstParam = 1): ActionFilterSql {
  const params: unknown[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${firstParam + params.length - 1}`;
  };
  return { where: compileColumnFilter(query, 'actions', fields, param), params };
}

/** hawkBit's `status`: `pending` (active) or `finished` (not), with equality operators only. */
function compileActive(node: RsqlComparison, column: string, param: BindParam): string {
  const flags = node.values.map((raw) => {
    const flag = activeValues[raw.toLowerCase()];
    if (flag === undefined) {
      throw new TargetFilterSyntaxError(
        `"${raw}" at position ${node.position} is not an action status: use pending or finished`,
        node.position,
      );
    }
    return flag;
  });
  switch (node.operator) {
    case '==':
      return `${column} = ${param(flags[0])}::boolean`;
    case '!=':
      return `${column} <> ${param(flags[0])}::boolean`;
    case '=in=':
      return `${column} = ANY(${param(flags)}::boolean[])`;
    case '=out=':
      return `NOT (${column} = ANY(${param(flags)}::boolean[]))`;
    default:
      throw new TargetFilterSyntaxError(
        `${node.operator} at position ${node.position} does not apply to status; use ==, !=, =in= or =out=`,
        node.position,
      );
  }
}
