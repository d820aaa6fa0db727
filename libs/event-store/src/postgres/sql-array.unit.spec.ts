import { integerArrayLiteral, textArrayLiteral } from './sql-array.util';

describe('array literals', () => {
  it('quotes every text element, keeping commas, braces, spaces and newlines as they are', () => {
    expect(textArrayLiteral(['order-1', 'a,b', '{x}', ' y ', 'line\nbreak', ''])).toBe(
      '{"order-1","a,b","{x}"," y ","line\nbreak",""}',
    );
  });

  it('escapes double quotes and backslashes', () => {
    expect(textArrayLiteral(['plain', 'say "hi"', 'back\\slash'])).toBe('{"plain","say \\"hi\\"","back\\\\slash"}');
  });

  it('writes an empty array as {}', () => {
    expect(textArrayLiteral([])).toBe('{}');
    expect(integerArrayLiteral([])).toBe('{}');
  });

  it('joins integers and refuses anything else', () => {
    expect(integerArrayLiteral([0, -1, 42])).toBe('{0,-1,42}');
    expect(() => integerArrayLiteral([1.5])).toThrow(/not an integer/);
    expect(() => integerArrayLiteral([Number.NaN])).toThrow(/not an integer/);
  });
});
