import { HawkbitHttpError, ParseItemsPipe } from '@fleetwave/platform';
import {
  CreateDistributionSetDto,
  CreateSetTypeDto,
  CreateSoftwareModuleDto,
  distributionSetDefinition,
  setTypeDefinition,
  softwareModuleDefinition,
} from './repository.dto';

const refusal = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof HawkbitHttpError && error.getStatus() === 400) return error.body.message;
    throw error;
  }
  throw new Error('expected a 400');
};

describe('repository create bodies', () => {
  const sets = new ParseItemsPipe(CreateDistributionSetDto);
  const modules = new ParseItemsPipe(CreateSoftwareModuleDto);
  const setTypes = new ParseItemsPipe(CreateSetTypeDto);

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
    [
      'more than 100 modules',
      [{ name: 'n', version: '1', modules: Array.from({ length: 101 }, (_, i) => ({ id: i + 1 })) }],
      /modules must contain no more than 100 elements/,
    ],
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

  it('set types: refuses more than 50 mandatory module types', () => {
    const mandatorymodules = Array.from({ length: 51 }, (_, i) => ({ id: i + 1 }));
    expect(refusal(() => setTypes.transform([{ key: 'k', name: 'n', mandatorymodules }]))).toMatch(
      /mandatorymodules must contain no more than 50 elements/,
    );
  });

  it('turns valid items into the internal definitions, references into ids', () => {
    const [set] = sets.transform([{ name: 'n', version: '1', modules: [{ id: 4 }, { id: 2 }], extra: true }]);
    expect(distributionSetDefinition(set)).toEqual({ name: 'n', version: '1', moduleIds: [4, 2] });
    const [type] = setTypes.transform([{ key: 'k', name: 'n', optionalmodules: [{ id: 6 }] }]);
    expect(setTypeDefinition(type)).toEqual({
      key: 'k',
      name: 'n',
      mandatoryModuleTypeIds: [],
      optionalModuleTypeIds: [6],
    });
    const [module] = modules.transform([{ name: 'n', version: '1', type: 'os', encrypted: true }]);
    expect(JSON.parse(JSON.stringify(softwareModuleDefinition(module)))).toEqual({
      name: 'n',
      version: '1',
      type: 'os',
    });
  });
});
