import { TargetFilterFieldError, TargetFilterSyntaxError } from '@fleetwave/rsql';
import { compileActionFilter } from './action-filter';
import { actionSortColumns, InvalidSortParameter, orderByOf, statusSortColumns } from './action-sort';

describe('q on actions', () => {
  it('maps hawkBit status to active and detailStatus to the action status, case-insensitively', () => {
    expect(compileActionFilter('status==pending;DetailStatus==run*', 3)).toEqual({
      where: `(a.active = $3::boolean AND lower(a.status) LIKE lower(CAST($4 AS text)) ESCAPE '\\')`,
      params: [true, 'run%'],
    });
    expect(compileActionFilter('status=in=(finished,PENDING)')).toEqual({
      where: 'a.active = ANY($1::boolean[])',
      params: [[false, true]],
    });
  });

  it('filters by target, rollout, group and distribution set fields', () => {
    expect(
      compileActionFilter('target.id==dev_1,rollout.id=ge=5,rolloutGroup.name!=g*,distributionSet.id=out=(1,2)'),
    ).toEqual({
      where:
        `(lower(a.controller_id) LIKE lower(CAST($1 AS text)) ESCAPE '\\' OR a.rollout_id >= CAST($2 AS bigint)` +
        ` OR NOT lower(coalesce(a.group_name, '')) LIKE lower(CAST($3 AS text)) ESCAPE '\\'` +
        ` OR NOT coalesce(a.distribution_set_id = ANY(CAST($4 AS bigint[])), false))`,
      params: ['dev\\_1', 5, 'g%', [1, 2]],
    });
  });

  it('treats a missing status code as unequal to any code', () => {
    expect(compileActionFilter('lastStatusCode!=200')).toEqual({
      where: 'a.last_status_code IS DISTINCT FROM CAST($1 AS bigint)',
      params: [200],
    });
  });

  it.each([
    ['unknown==1', /unknown field "unknown" at position 1/],
    ['id==abc', /"abc" at position 1 is not a number/],
    ['status==running', /not an action status: use pending or finished/],
    ['status=gt=pending', /does not apply to status/],
    ['id==', /position/],
  ])('refuses %s with a position', (q, message) => {
    expect(() => compileActionFilter(q)).toThrow(TargetFilterSyntaxError);
    expect(() => compileActionFilter(q)).toThrow(message);
  });

  it.each(['unknown==1', 'constructor==1', '__proto__==1', 'toString==x'])(
    'tells %s apart from bad syntax: a field actions do not have',
    (q) => {
      expect(() => compileActionFilter(q)).toThrow(TargetFilterFieldError);
      expect(() => compileActionFilter(q)).toThrow(/unknown field/);
    },
  );

  it('keeps bad syntax and bad values the syntax error they are', () => {
    for (const q of ['id==abc', 'id==', 'status==running']) {
      expect(() => compileActionFilter(q)).toThrow(TargetFilterSyntaxError);
      expect(() => compileActionFilter(q)).not.toThrow(TargetFilterFieldError);
    }
  });
});

describe('sort on actions and action statuses', () => {
  it('orders by the fields asked for, then the tie-break; newest first without sort', () => {
    expect(orderByOf(undefined, actionSortColumns, 'a.id DESC')).toBe('a.id DESC');
    expect(orderByOf('DETAILSTATUS:desc, weight', actionSortColumns, 'a.id DESC')).toBe(
      'a.status DESC NULLS LAST, a.weight ASC NULLS FIRST, a.id DESC',
    );
    expect(orderByOf('reportedAt:ASC', statusSortColumns, 's.seq DESC')).toBe(
      's.reported_at ASC NULLS FIRST, s.seq DESC',
    );
  });

  it.each(['name:ASC', 'id:UP', 'id:ASC:DESC', ':ASC', 'target.id'])('refuses %s', (sort) => {
    expect(() => orderByOf(sort, actionSortColumns, 'a.id DESC')).toThrow(InvalidSortParameter);
  });
});
