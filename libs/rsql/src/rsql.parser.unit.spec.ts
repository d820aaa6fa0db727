import { RsqlComparison, RsqlNode } from './rsql.ast';
import { MAX_NESTING_DEPTH, parseRsql } from './rsql.parser';
import { TargetFilterSyntaxError } from './rsql-syntax.error';

/** A comparison node without its position, for shape assertions. */
const cmp = (selector: string, operator: RsqlComparison['operator'], ...values: string[]) => ({
  kind: 'comparison',
  selector,
  operator,
  values,
});

const syntaxErrorOf = (query: string): TargetFilterSyntaxError => {
  try {
    parseRsql(query);
  } catch (error) {
    if (error instanceof TargetFilterSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(query)} to be rejected`);
};

describe('parseRsql', () => {
  it('parses a single comparison with the position of its field', () => {
    expect(parseRsql('name==device')).toEqual({
      kind: 'comparison',
      selector: 'name',
      operator: '==',
      values: ['device'],
      position: 1,
    });
  });

  it.each([
    ['name==a', '==', ['a']],
    ['name!=a', '!=', ['a']],
    ['name=lt=a', '=lt=', ['a']],
    ['name=le=a', '=le=', ['a']],
    ['name=gt=a', '=gt=', ['a']],
    ['name=ge=a', '=ge=', ['a']],
    ['name=in=(a,b,c)', '=in=', ['a', 'b', 'c']],
    ['name=out=(a,b)', '=out=', ['a', 'b']],
    ['name=in=a', '=in=', ['a']],
    ['name=IN=(a)', '=in=', ['a']],
    ['name=Gt=a', '=gt=', ['a']],
    ['name<a', '=lt=', ['a']],
    ['name<=a', '=le=', ['a']],
    ['name>a', '=gt=', ['a']],
    ['name>=a', '=ge=', ['a']],
  ])('parses the operator of %s', (query, operator, values) => {
    expect(parseRsql(query)).toMatchObject({ kind: 'comparison', selector: 'name', operator, values });
  });

  describe('precedence and grouping', () => {
    it('binds ; tighter than , (a or (b and c))', () => {
      expect(parseRsql('a==1,b==2;c==3')).toMatchObject({
        kind: 'or',
        children: [cmp('a', '==', '1'), { kind: 'and', children: [cmp('b', '==', '2'), cmp('c', '==', '3')] }],
      });
    });

    it('binds ; tighter than , also on the left ((a and b) or c)', () => {
      expect(parseRsql('a==1;b==2,c==3')).toMatchObject({
        kind: 'or',
        children: [{ kind: 'and', children: [cmp('a', '==', '1'), cmp('b', '==', '2')] }, cmp('c', '==', '3')],
      });
    });

    it('lets parentheses override precedence', () => {
      expect(parseRsql('(a==1,b==2);c==3')).toMatchObject({
        kind: 'and',
        children: [{ kind: 'or', children: [cmp('a', '==', '1'), cmp('b', '==', '2')] }, cmp('c', '==', '3')],
      });
    });

    it('treats the keywords and/or like ; and , with the same precedence, in any case', () => {
      const symbolic = parseRsql('a==1,b==2;c==3');
      expect(stripPositions(parseRsql('a==1 or b==2 and c==3'))).toEqual(stripPositions(symbolic));
      expect(stripPositions(parseRsql('a==1 OR b==2 AND c==3'))).toEqual(stripPositions(symbolic));
    });

    it('collects a chain of the same connective into one group', () => {
      expect(parseRsql('a==1;b==2 and c==3')).toMatchObject({
        kind: 'and',
        children: [cmp('a', '==', '1'), cmp('b', '==', '2'), cmp('c', '==', '3')],
      });
    });

    it('unwraps redundant parentheses', () => {
      expect(parseRsql('((name==a))')).toMatchObject(cmp('name', '==', 'a'));
    });

    it('records the position of every comparison', () => {
      expect(parseRsql('name==a;tag==b')).toMatchObject({
        children: [
          { selector: 'name', position: 1 },
          { selector: 'tag', position: 9 },
        ],
      });
    });

    it('ignores whitespace between tokens', () => {
      expect(parseRsql('  ( name == a ; tag =in= ( x , y ) )  ')).toMatchObject({
        kind: 'and',
        children: [cmp('name', '==', 'a'), cmp('tag', '=in=', 'x', 'y')],
      });
    });
  });

  describe('values', () => {
    it.each([
      [`name=='my device'`, 'my device'],
      [`name=="my device"`, 'my device'],
      [`name=='it\\'s'`, "it's"],
      [`name=="say \\"hi\\""`, 'say "hi"'],
      [`name=="it's"`, "it's"],
      [`name=='back\\\\slash'`, 'back\\slash'],
      [`name=='a;b,(c)=d!~<>'`, 'a;b,(c)=d!~<>'],
      [`name==''`, ''],
      [`name==dev-01.eu:8080/x*`, 'dev-01.eu:8080/x*'],
      [`name==Gerät_ß`, 'Gerät_ß'],
      [`name==and`, 'and'],
    ])('reads %s as %j', (query, value) => {
      expect(parseRsql(query)).toMatchObject({ values: [value] });
    });

    it('reads quoted and unquoted list values', () => {
      expect(parseRsql(`tag=in=('a b', "c,d", e*)`)).toMatchObject({ values: ['a b', 'c,d', 'e*'] });
    });

    it('keeps the field name as written (matching it case-insensitively is the translator’s job)', () => {
      expect(parseRsql('Attribute.HwRev==x')).toMatchObject({ selector: 'Attribute.HwRev' });
    });

    it('accepts and/or after a quoted value or a closing parenthesis', () => {
      expect(parseRsql(`name=='a'and tag==b`)).toMatchObject({ kind: 'and' });
      expect(parseRsql(`(name==a)or(tag==b)`)).toMatchObject({ kind: 'or' });
    });
  });

  describe('malformed queries', () => {
    it.each([
      ['', 1, /^empty query/],
      ['   ', 1, /^empty query/],
      ['(name==a', 9, /expected '\)' at position 9 to close the '\(' opened at position 1 but reached the end/],
      ['((name==a)', 11, /expected '\)' at position 11 to close the '\(' opened at position 1/],
      ['name==a)', 8, /expected ';', ',', 'and', 'or' or end of query at position 8 but found '\)' \(no matching/],
      ['()', 2, /expected a field name or '\(' at position 2 but found '\)'/],
      ['name==', 7, /expected a value for '==' at position 7 but reached the end of the query/],
      ['name==;tag==a', 7, /expected a value for '==' at position 7 but found ';'/],
      ['name==a;', 9, /expected a field name or '\(' at position 9 but reached the end/],
      ['name==a and ', 13, /expected a field name or '\(' at position 13 but reached the end/],
      ['name==a,,tag==b', 9, /expected a field name or '\(' at position 9 but found ','/],
      ['==a', 1, /expected a field name or '\(' at position 1 but found '=='/],
      [`'name'==a`, 1, /expected a field name or '\(' at position 1 but found quoted value 'name'/],
      ['name', 5, /expected a comparison operator \(==, !=, =lt=.*\) at position 5 after field 'name' but reached/],
      ['name a', 6, /expected a comparison operator .* at position 6 after field 'name' but found 'a'/],
      ['name=like=a', 5, /unknown operator '=like=' at position 5; expected one of ==, !=, =lt=, =le=/],
      ['name=a', 5, /malformed operator '=a' at position 5/],
      ['name!a', 5, /malformed operator '!a' at position 5/],
      ['name~=a', 5, /unexpected '~' at position 5/],
      [`name=='abc`, 7, /unterminated quoted value starting at position 7; expected a closing '/],
      [`name=="abc\\"`, 7, /unterminated quoted value starting at position 7; expected a closing "/],
      ['name==(a,b)', 7, /operator '==' at position 5 takes a single value, found a list at position 7/],
      ['tag=in=()', 9, /expected a value for '=in=' at position 9 but found '\)'/],
      ['tag=in=(a,b', 12, /expected ',' or '\)' at position 12 to close the value list opened at position 8/],
      ['tag=in=(a,)', 11, /expected a value for '=in=' at position 11 but found '\)'/],
      ['name==my device', 10, /at position 10 but found 'device'; quote values that contain spaces/],
      ['name==a tag==b', 9, /expected ';', ',', 'and', 'or' or end of query at position 9 but found 'tag'/],
    ])('rejects %j at position %i', (query, position, message) => {
      const error = syntaxErrorOf(query);
      expect(error.message).toMatch(message);
      expect(error.position).toBe(position);
    });

    it('reports a stable code, so that the gateway can answer 400', () => {
      const error = syntaxErrorOf('name==');
      expect(error).toBeInstanceOf(Error);
      expect(error.code).toBe('TARGET_FILTER.INVALID');
      expect(error.name).toBe('TargetFilterSyntaxError');
    });

    it('refuses nesting deep enough to exhaust the stack, with a syntax error', () => {
      const depth = 10_000;
      const error = syntaxErrorOf(`${'('.repeat(depth)}name==a${')'.repeat(depth)}`);
      expect(error.message).toMatch(`nested deeper than ${MAX_NESTING_DEPTH} levels`);
      expect(error.position).toBe(MAX_NESTING_DEPTH + 1);
    });

    it('accepts nesting up to the limit', () => {
      const depth = MAX_NESTING_DEPTH;
      expect(parseRsql(`${'('.repeat(depth)}name==a${')'.repeat(depth)}`)).toMatchObject(cmp('name', '==', 'a'));
    });
  });
});

function stripPositions(node: RsqlNode): unknown {
  if (node.kind === 'comparison') return { ...node, position: undefined };
  return { kind: node.kind, children: node.children.map(stripPositions) };
}
