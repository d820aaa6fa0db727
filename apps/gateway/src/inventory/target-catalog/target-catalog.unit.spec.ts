import { HawkbitHttpError } from '@fleetwave/platform';
import { controllerIdsOf, givenFields, MAX_ASSIGNED_PER_REQUEST } from './target-catalog.dto';
import { renderTargetTag, renderTargetType } from './target-catalog-rendering';

const audit = { createdBy: 'ann', createdAt: 1, lastModifiedBy: 'bob', lastModifiedAt: 2 };

/** The status and message a parse was refused with. */
function refusal(parse: () => unknown): { status: number; message: string } | undefined {
  try {
    parse();
    return undefined;
  } catch (error) {
    const refused = error as HawkbitHttpError;
    return { status: refused.getStatus(), message: refused.body.message };
  }
}

describe('target catalog at the gateway: bodies and rendering', () => {
  it('takes a tag assignment body as its controllerIds, each once, in the order first named', () => {
    expect(controllerIdsOf(['b', 'a', 'b'])).toEqual(['b', 'a']);
    expect(controllerIdsOf([])).toEqual([]);
  });

  it.each([
    ['an object', { controllerId: 'a' }, /JSON array/],
    ['no body', undefined, /JSON array/],
    ['a number among the ids', ['a', 7], /\[1\] must be a controllerId string/],
    ['an empty controllerId', [''], /controllerId must have 1 to 256 characters/],
    ['a NUL in a controllerId', ['a\u0000b'], /no NUL/],
    ['one id too many', Array.from({ length: MAX_ASSIGNED_PER_REQUEST + 1 }, (_, i) => `t-${i}`), /at most 10000/],
  ])('refuses %s as an assignment body with a 400', (_case, body, message) => {
    expect(refusal(() => controllerIdsOf(body))).toEqual({ status: 400, message: expect.stringMatching(message) });
  });

  it('keeps only the fields a body gave', () => {
    expect(givenFields({ name: 'n', description: undefined, colour: '' })).toEqual({ name: 'n', colour: '' });
  });

  it("renders hawkBit's defaults for what a view leaves out: an empty description, no colour, no audit", () => {
    expect(renderTargetType({ id: 4, key: 'k', name: 'n', audit })).toEqual({
      id: 4,
      key: 'k',
      name: 'n',
      description: '',
      colour: undefined,
      deleted: false,
      ...audit,
      _links: { self: { href: '/rest/v1/targettypes/4' } },
    });
    expect(renderTargetTag({ id: 2, name: 'n', description: 'd' })).toMatchObject({
      description: 'd',
      colour: undefined,
      createdAt: 0,
      _links: { self: { href: '/rest/v1/targettags/2' } },
    });
  });
});
