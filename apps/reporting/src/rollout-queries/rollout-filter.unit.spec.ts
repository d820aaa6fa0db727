import { TargetFilterSyntaxError } from '@fleetwave/rsql';
import { compileRolloutFilter } from './rollout-filter';

describe('q on rollouts', () => {
  it('matches names and states case-insensitively, with * as the wildcard and SQL wildcards literal', () => {
    expect(compileRolloutFilter('name==Night*;status!=finished')).toEqual({
      where:
        "(lower(r.name) LIKE lower(CAST(:rq0 AS text)) ESCAPE '\\' AND NOT lower(r.status) LIKE lower(CAST(:rq1 AS text)) ESCAPE '\\')",
      params: { rq0: 'Night%', rq1: 'finished' },
    });
    expect(compileRolloutFilter('name==50%_off').params).toEqual({ rq0: '50\\%\\_off' });
  });

  it('compares numbers and lists, and groups with parentheses', () => {
    expect(compileRolloutFilter('(id=ge=10,id=in=(1,2));createdAt=lt=1700000000000')).toEqual({
      where:
        '((r.id >= CAST(:rq0 AS bigint) OR r.id = ANY(CAST(:rq1 AS bigint[]))) AND r.created_at < CAST(:rq2 AS bigint))',
      params: { rq0: 10, rq1: [1, 2], rq2: 1_700_000_000_000 },
    });
    expect(compileRolloutFilter('status=out=(Paused,stopped)').params).toEqual({ rq0: ['paused', 'stopped'] });
  });

  it('refuses unknown fields, numbers that are not, and bad syntax, naming the position', () => {
    const failure = (q: string) => {
      try {
        compileRolloutFilter(q);
      } catch (error) {
        return error as TargetFilterSyntaxError;
      }
      throw new Error(`"${q}" compiled`);
    };
    expect(failure('name==a;colour==red')).toMatchObject({ code: 'TARGET_FILTER.UNKNOWN_FIELD', position: 9 });
    expect(failure('id==abc').message).toMatch(/not a number/);
    expect(failure('name==(').code).toBe('TARGET_FILTER.INVALID');
  });
});
