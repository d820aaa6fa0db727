import { HawkbitHttpError, ParseItemsPipe } from '@fleetwave/platform';
import { CreateDistributionSetDto } from '../../../repository/commands/create-distribution-sets/create-distribution-sets.controller';
import { CreateSoftwareModuleDto } from '../../../repository/commands/create-software-modules/create-software-modules.controller';
import { CreateTargetDto } from './create-targets.dto';

const refusal = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof HawkbitHttpError && error.getStatus() === 400) return error.body.message;
    throw error;
  }
  throw new Error('expected a 400');
};

describe('array create bodies', () => {
  const targets = new ParseItemsPipe(CreateTargetDto);
  const sets = new ParseItemsPipe(CreateDistributionSetDto);
  const modules = new ParseItemsPipe(CreateSoftwareModuleDto);

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
    ['an item that is not an object', [{ controllerId: 'a' }, 7], /\[1\] must be a JSON object/],
    ['an object instead of an array', { controllerId: 'a' }, /must be a JSON array/],
    ['more than 1000 items', Array.from({ length: 1001 }, (_, i) => ({ controllerId: `d${i}` })), /at most 1000/],
  ])('targets: refuses %s', (_case, body, message) => {
    expect(refusal(() => targets.transform(body))).toMatch(message);
  });

  it.each([
    [
      'a module id 1e20',
      [{ name: 'n', version: '1', modules: [{ id: 1e20 }] }],
      /modules.0.id must be an integer from 1/,
    ],
    ['a fractional module id', [{ name: 'n', version: '1', modules: [{ id: 1.5 }] }], /id must be an integer/],
    [
      'a module reference that is not an object',
      [{ name: 'n', version: '1', modules: [3] }],
      /each value in modules must be an object/,
    ],
    ['a NUL in the version', [{ name: 'n', version: '1\u0000' }], /version must not contain a NUL/],
  ])('distribution sets: refuses %s', (_case, body, message) => {
    expect(refusal(() => sets.transform(body))).toMatch(message);
  });

  it('software modules: refuses a NUL in the vendor and an over-long type', () => {
    const message = refusal(() =>
      modules.transform([{ name: 'n', version: '1', type: 't'.repeat(65), vendor: 'v\u0000' }]),
    );
    expect(message).toMatch(/type must be shorter than or equal to 64/);
    expect(message).toMatch(/vendor must not contain a NUL/);
  });

  it('keeps valid items as DTOs and drops unknown properties', () => {
    const [target] = targets.transform([{ controllerId: 'dev-1', name: 'Device', securityToken: 'x' }]);
    expect(target).toBeInstanceOf(CreateTargetDto);
    expect({ ...target }).toEqual({ controllerId: 'dev-1', name: 'Device' });
  });
});
