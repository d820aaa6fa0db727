import { compileTargetFilter, parseRsql, TargetFilterSyntaxError, toSql } from './index';
import { toLikePattern } from './target-filter.sql';

const compile = (query: string) => compileTargetFilter(query);

const rejectionOf = (query: string): TargetFilterSyntaxError => {
  try {
    compile(query);
  } catch (error) {
    if (error instanceof TargetFilterSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(query)} to be rejected`);
};

const ESCAPE = "ESCAPE '\\'";

describe('toSql', () => {
  describe('fields', () => {
    it.each([
      ['id', 't.controller_id'],
      ['controllerid', 't.controller_id'],
      ['ControllerId', 't.controller_id'],
      ['name', 't.name'],
      ['NAME', 't.name'],
      ['description', 't.description'],
      ['type', 't.target_type'],
      ['assignedds.name', 't.assigned_ds_name'],
      ['assignedDS.version', 't.assigned_ds_version'],
      ['installedds.name', 't.installed_ds_name'],
      ['installedds.Version', 't.installed_ds_version'],
    ])('maps the text field %s to %s, case-insensitively', (field, column) => {
      expect(compile(`${field}==Abc`)).toEqual({ where: `lower(${column}) = lower($1::text)`, params: ['Abc'] });
    });

    it.each([
      ['createdat', 't.created_at'],
      ['lastModifiedAt', 't.last_modified_at'],
      ['lastcontrollerrequestat', 't.last_controller_request_at'],
    ])('maps the timestamp field %s to %s, taking epoch milliseconds', (field, column) => {
      expect(compile(`${field}=lt=1700000000000`)).toEqual({
        where: `${column} < to_timestamp($1::bigint / 1000.0)`,
        params: ['1700000000000'],
      });
    });

    it('maps attribute.<key> to the jsonb entry, the key bound as a parameter with its case kept', () => {
      expect(compile('ATTRIBUTE.HwRev==3')).toEqual({
        where:
          '(lower(t.attributes::text)::jsonb @> jsonb_build_object(lower($1::text), lower($3::text))' +
          ' AND lower((t.attributes ->> $1::text)) = lower($2::text))',
        params: ['HwRev', '3', '3'],
      });
    });

    it('adds the indexed containment pre-check to exact attribute matches only', () => {
      expect(compile('attribute.k=in=(a,b)').where).toBe(
        '((lower(t.attributes::text)::jsonb @> jsonb_build_object(lower($1::text), lower($4::text))' +
          ' OR lower(t.attributes::text)::jsonb @> jsonb_build_object(lower($1::text), lower($5::text)))' +
          ' AND lower((t.attributes ->> $1::text)) IN (lower($2::text), lower($3::text)))',
      );
      expect(compile('attribute.k==a*').where).toBe(
        "lower((t.attributes ->> $1::text)) LIKE lower($2::text) ESCAPE '\\'",
      );
      expect(compile('attribute.k!=a').where).not.toContain('@>');
      expect(compile('metadata.k==a').where).not.toContain('@>');
    });

    it('maps metadata.<key> to the jsonb entry', () => {
      expect(compile('metadata.owner==alice')).toEqual({
        where: 'lower((t.metadata ->> $1::text)) = lower($2::text)',
        params: ['owner', 'alice'],
      });
    });

    it('matches tag against any element of the tags array', () => {
      expect(compile('tag==Prod')).toEqual({
        where:
          'EXISTS (SELECT 1 FROM unnest(t.tags) AS target_tag(name) WHERE lower(target_tag.name) = lower($1::text))',
        params: ['Prod'],
      });
    });

    it('compares updatestatus with its lower-case stored name', () => {
      expect(compile('UpdateStatus==IN_SYNC')).toEqual({ where: 't.update_status = $1::text', params: ['in_sync'] });
    });

    it.each(['unknown', 'in_sync', 'pending', 'error', 'registered'])('accepts the update status %s', (status) => {
      expect(compile(`updatestatus==${status.toUpperCase()}`).params).toEqual([status]);
    });

    it.each([
      ['foo==a', "unknown field 'foo' at position 1"],
      ['name==a;Colour==red', "unknown field 'Colour' at position 9"],
      ['constructor==a', "unknown field 'constructor'"],
      ['__proto__==a', "unknown field '__proto__'"],
      ['assignedds==a', "unknown field 'assignedds'"],
      ['attributes.hw==a', "unknown field 'attributes.hw'"],
    ])('rejects %j naming the field and the allowed ones', (query, message) => {
      const error = rejectionOf(query);
      expect(error.message).toContain(message);
      expect(error.message).toContain(
        'allowed fields: id, controllerid, name, description, createdat, lastmodifiedat, lastcontrollerrequestat, ' +
          'updatestatus, tag, type, assignedds.name, assignedds.version, installedds.name, installedds.version, ' +
          'attribute.<key>, metadata.<key>',
      );
      // A malformed filter still, told apart from bad syntax as hawkBit tells an unsupported field.
      expect(error).toBeInstanceOf(TargetFilterSyntaxError);
      expect(error.code).toBe('TARGET_FILTER.UNKNOWN_FIELD');
    });

    it.each(['attribute==a', 'attribute.==a', 'metadata==a'])('rejects %j, which lacks the key', (query) => {
      expect(rejectionOf(query).message).toMatch(/needs a key; expected (attribute|metadata)\.<key>/);
    });
  });

  describe('text operators', () => {
    it.each([
      ['name!=x', '(t.name IS NULL OR NOT (lower(t.name) = lower($1::text)))', ['x']],
      ['name=lt=m', 'lower(t.name) < lower($1::text)', ['m']],
      ['name=le=m', 'lower(t.name) <= lower($1::text)', ['m']],
      ['name=gt=m', 'lower(t.name) > lower($1::text)', ['m']],
      ['name=ge=m', 'lower(t.name) >= lower($1::text)', ['m']],
      ['name=in=(a,B)', 'lower(t.name) IN (lower($1::text), lower($2::text))', ['a', 'B']],
      ['name=out=(a,b)', '(t.name IS NULL OR NOT (lower(t.name) IN (lower($1::text), lower($2::text))))', ['a', 'b']],
      [
        'attribute.hw!=x',
        '((t.attributes ->> $1::text) IS NULL OR NOT (lower((t.attributes ->> $1::text)) = lower($2::text)))',
        ['hw', 'x'],
      ],
      ['assignedds.version=gt=1.2', 'lower(t.assigned_ds_version) > lower($1::text)', ['1.2']],
    ])('translates %s', (query, where, params) => {
      expect(compile(query)).toEqual({ where, params });
    });
  });

  describe('wildcards', () => {
    it('turns * into a case-insensitive LIKE', () => {
      expect(compile('name==*dev*')).toEqual({
        where: `lower(t.name) LIKE lower($1::text) ${ESCAPE}`,
        params: ['%dev%'],
      });
    });

    it('negates the LIKE for != and counts NULL as not matching', () => {
      expect(compile('id!=lab-*')).toEqual({
        where: `(t.controller_id IS NULL OR NOT (lower(t.controller_id) LIKE lower($1::text) ${ESCAPE}))`,
        params: ['lab-%'],
      });
    });

    it.each([
      ['50%_off*', '50\\%\\_off%'],
      ['a\\b*', 'a\\\\b%'],
      ['**', '%%'],
    ])('escapes the LIKE metacharacters of %j', (value, pattern) => {
      expect(toLikePattern(value)).toBe(pattern);
      expect(compile(`name=='${value.replace(/\\/g, '\\\\')}'`).params).toEqual([pattern]);
    });

    it('treats a value without * as an exact match, even with % or _ in it', () => {
      expect(compile('name==50%_off')).toEqual({ where: 'lower(t.name) = lower($1::text)', params: ['50%_off'] });
    });

    it('applies to tags and map entries too', () => {
      expect(compile('tag==eu-*').where).toContain(`lower(target_tag.name) LIKE lower($1::text) ${ESCAPE}`);
      expect(compile('metadata.owner==al*')).toEqual({
        where: `lower((t.metadata ->> $1::text)) LIKE lower($2::text) ${ESCAPE}`,
        params: ['owner', 'al%'],
      });
    });

    it('takes * literally in =in= lists and orderings', () => {
      expect(compile('name=in=(a*)')).toEqual({ where: 'lower(t.name) IN (lower($1::text))', params: ['a*'] });
      expect(compile('name=gt=a*').params).toEqual(['a*']);
    });
  });

  describe('timestamps', () => {
    const start = (n: number) => `to_timestamp($${n}::bigint / 1000.0)`;
    const next = (n: number) => `to_timestamp(($${n}::bigint + 1) / 1000.0)`;
    const within = (n: number) => `(t.created_at >= ${start(n)} AND t.created_at < ${next(n)})`;

    it.each([
      ['createdat==1000', within(1)],
      ['createdat!=1000', `(t.created_at IS NULL OR NOT (${within(1)}))`],
      ['createdat=lt=1000', `t.created_at < ${start(1)}`],
      ['createdat=le=1000', `t.created_at < ${next(1)}`],
      ['createdat=gt=1000', `t.created_at >= ${next(1)}`],
      ['createdat=ge=1000', `t.created_at >= ${start(1)}`],
      ['createdat=in=(1000)', within(1)],
      ['createdat=in=(1000,2000)', `(${within(1)} OR ${within(2)})`],
      ['createdat=out=(1000,2000)', `(t.created_at IS NULL OR NOT ((${within(1)} OR ${within(2)})))`],
    ])('compares %s at millisecond precision', (query, where) => {
      expect(compile(query).where).toBe(where);
    });

    it('accepts negative epoch milliseconds and normalises leading zeros', () => {
      expect(compile('createdat=gt=-1000').params).toEqual(['-1000']);
      expect(compile('createdat=gt=007').params).toEqual(['7']);
    });

    it.each(['abc', '1.5', '17000*', "''", '1e12', '99999999999999999', '-99999999999999999'])(
      'rejects the non-epoch value %s',
      (value) => {
        expect(rejectionOf(`name==a;createdat==${value}`).message).toMatch(
          /^field 'createdat' at position 9 expects epoch milliseconds \(an integer between .*\), got '/,
        );
      },
    );
  });

  describe('update status', () => {
    it('supports =in= and =out=', () => {
      expect(compile('updatestatus=in=(Pending,error)')).toEqual({
        where: 't.update_status IN ($1::text, $2::text)',
        params: ['pending', 'error'],
      });
      expect(compile('updatestatus=out=(pending)')).toEqual({
        where: '(t.update_status IS NULL OR NOT (t.update_status IN ($1::text)))',
        params: ['pending'],
      });
      expect(compile('updatestatus!=pending').where).toBe(
        '(t.update_status IS NULL OR NOT (t.update_status = $1::text))',
      );
    });

    it.each(['updatestatus==synced', 'updatestatus==in*', 'updatestatus=in=(pending,nope)'])(
      'rejects %s listing the valid statuses',
      (query) => {
        expect(rejectionOf(query).message).toMatch(
          /^field 'updatestatus' at position 1 expects one of unknown, in_sync, pending, error, registered/,
        );
      },
    );

    it('rejects orderings', () => {
      expect(rejectionOf('updatestatus=gt=error').message).toBe(
        "operator '=gt=' is not supported for field 'updatestatus' at position 1; expected one of ==, !=, =in=, =out=",
      );
    });
  });

  describe('tags', () => {
    const exists = (match: string) => `EXISTS (SELECT 1 FROM unnest(t.tags) AS target_tag(name) WHERE ${match})`;

    it.each([
      ['tag!=prod', `NOT ${exists('lower(target_tag.name) = lower($1::text)')}`],
      ['tag=in=(a,b)', exists('lower(target_tag.name) IN (lower($1::text), lower($2::text))')],
      ['tag=out=(a,b)', `NOT ${exists('lower(target_tag.name) IN (lower($1::text), lower($2::text))')}`],
    ])('translates %s (none of the tags matches, untagged targets included)', (query, where) => {
      expect(compile(query).where).toBe(where);
    });

    it.each(['=lt=', '=le=', '=gt=', '=ge='])('rejects the ordering %s', (operator) => {
      expect(rejectionOf(`tag${operator}a`).message).toMatch(`operator '${operator}' is not supported for field 'tag'`);
    });
  });

  describe('composition', () => {
    it('parenthesises groups so that and/or keep their precedence', () => {
      expect(compile('name==a,tag==b;type==c').where).toBe(
        '(lower(t.name) = lower($1::text) OR (' +
          'EXISTS (SELECT 1 FROM unnest(t.tags) AS target_tag(name) WHERE lower(target_tag.name) = lower($2::text))' +
          ' AND lower(t.target_type) = lower($3::text)))',
      );
    });

    it('numbers parameters after paramOffset, in order of appearance', () => {
      expect(compileTargetFilter('name==a;attribute.k=in=(x,y)', 3)).toEqual({
        where:
          '(lower(t.name) = lower($4::text) AND ((lower(t.attributes::text)::jsonb @> jsonb_build_object(lower($5::text), lower($8::text))' +
          ' OR lower(t.attributes::text)::jsonb @> jsonb_build_object(lower($5::text), lower($9::text)))' +
          ' AND lower((t.attributes ->> $5::text)) IN (lower($6::text), lower($7::text))))',
        params: ['a', 'k', 'x', 'y', 'x', 'y'],
      });
      expect(toSql(parseRsql('name==a'), { paramOffset: 2 }).where).toBe('lower(t.name) = lower($3::text)');
      expect(toSql(parseRsql('name==a')).where).toBe('lower(t.name) = lower($1::text)');
    });

    it('never puts a value into the SQL text', () => {
      const hostile = `x') OR 1=1; DROP TABLE targets; --`;
      const { where, params } = compile(`name=="${hostile}";attribute.k==v`);
      expect(where).not.toContain('DROP');
      expect(where).not.toContain('1=1');
      expect(params).toEqual([hostile, 'k', 'v', 'v']);
    });

    it('rejects an invalid paramOffset as a programming error', () => {
      expect(() => toSql(parseRsql('name==a'), { paramOffset: -1 })).toThrow(RangeError);
      expect(() => toSql(parseRsql('name==a'), { paramOffset: 1.5 })).toThrow(RangeError);
    });

    it('rejects hand-built comparisons with the wrong number of values', () => {
      const node = { kind: 'comparison', selector: 'name', operator: '==', values: [], position: 1 } as const;
      expect(() => toSql(node)).toThrow(TargetFilterSyntaxError);
    });

    it('surfaces parse errors through compileTargetFilter', () => {
      expect(() => compileTargetFilter('name==')).toThrow(TargetFilterSyntaxError);
    });
  });
});
