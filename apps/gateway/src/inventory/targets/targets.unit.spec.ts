import { HawkbitHttpError, ParseItemsPipe } from '@fleetwave/platform';
import { renderMetadata, renderTarget } from './target-rendering';
import { CreateTargetDto, MetadataDto, ParseMetadataKeyPipe } from './targets.dto';

const refusal = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof HawkbitHttpError && error.getStatus() === 400) return error.body.message;
    throw error;
  }
  throw new Error('expected a 400');
};

describe('targets at the gateway: bodies and rendering', () => {
  const targets = new ParseItemsPipe(CreateTargetDto);

  it.each([
    [
      'a NUL in a controllerId',
      [{ controllerId: 'ok' }, { controllerId: 'd\u00001' }],
      /\[1\] controllerId must not contain a NUL/,
    ],
    ['a controllerId with a space', [{ controllerId: 'a b' }], /\[0\] controllerId must not contain whitespace/],
    ['an over-long controllerId', [{ controllerId: 'c'.repeat(257) }], /shorter than or equal to 256/],
    ['a NUL in a name', [{ controllerId: 'a', name: 'n\u0000' }], /\[0\] name must not contain a NUL/],
    ['a NUL in a description', [{ controllerId: 'a', description: '\u0000' }], /description must not contain a NUL/],
    ['a null target type', [{ controllerId: 'a', targetType: null }], /\[0\] targetType must be an integer/],
    ['an item that is not an object', [{ controllerId: 'a' }, 7], /\[1\] must be a JSON object/],
    ['an object instead of an array', { controllerId: 'a' }, /must be a JSON array/],
    ['more than 1000 items', Array.from({ length: 1001 }, (_, i) => ({ controllerId: `d${i}` })), /at most 1000/],
  ])('targets: refuses %s', (_case, body, message) => {
    expect(refusal(() => targets.transform(body))).toMatch(message);
  });

  it('keeps valid items as DTOs and drops unknown properties', () => {
    const [target] = targets.transform([{ controllerId: 'dev-1', name: 'Device', securityToken: 'x' }]);
    expect(target).toBeInstanceOf(CreateTargetDto);
    expect({ ...target }).toEqual({ controllerId: 'dev-1', name: 'Device' });
  });

  it('takes a metadata entry without a value as an empty one, and refuses one without a key', () => {
    const entries = new ParseItemsPipe(MetadataDto, 2);
    expect(entries.transform([{ key: 'k' }]).map((e) => ({ ...e }))).toEqual([{ key: 'k', value: '' }]);
    expect(refusal(() => entries.transform([{ value: 'v' }]))).toMatch(/\[0\] key should not be empty/);
    expect(refusal(() => entries.transform([{ key: 'a' }, { key: 'b' }, { key: 'c' }]))).toMatch(/at most 2/);
  });

  it('takes a metadata key of 1 to 128 characters without NUL from a path', () => {
    const key = new ParseMetadataKeyPipe();
    expect(key.transform('a.b c')).toBe('a.b c');
    for (const bad of ['', 'k'.repeat(129), 'a\u0000'])
      expect(refusal(() => key.transform(bad))).toMatch(/metadataKey/);
  });

  it('renders a target as hawkBit’s MgmtTarget: defaults filled in, absent fields left out, linked by controllerId', () => {
    const rendered = renderTarget({ id: 3, controllerId: 'a b/c', name: 'n', updateStatus: 'registered' });
    expect(rendered).toEqual({
      id: 3,
      controllerId: 'a b/c',
      name: 'n',
      description: '',
      updateStatus: 'registered',
      lastControllerRequestAt: undefined,
      requestAttributes: true,
      targetType: undefined,
      targetTypeName: undefined,
      createdBy: '',
      createdAt: 0,
      lastModifiedBy: '',
      lastModifiedAt: 0,
      _links: { self: { href: '/rest/v1/targets/a%20b%2Fc' } },
    });
    expect(Object.keys(JSON.parse(JSON.stringify(rendered)))).not.toContain('targetType');
    expect(
      renderTarget({
        id: 4,
        controllerId: 'd',
        name: 'd',
        description: 'x',
        updateStatus: 'in_sync',
        lastControllerRequestAt: 9,
        targetType: 2,
        targetTypeName: 'gw',
        audit: { createdBy: 'ann', createdAt: 1, lastModifiedBy: 'bob', lastModifiedAt: 2 },
      }),
    ).toMatchObject({
      description: 'x',
      lastControllerRequestAt: 9,
      targetType: 2,
      targetTypeName: 'gw',
      createdBy: 'ann',
    });
  });

  it('renders a metadata entry whose empty value did not travel with an empty value', () => {
    expect(renderMetadata({ key: 'k' })).toEqual({ key: 'k', value: '' });
  });
});
