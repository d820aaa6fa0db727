import {
  renderDistributionSet,
  renderDistributionSetType,
  renderSoftwareModule,
  renderSoftwareModuleType,
} from './repository-rendering';

/** What the internal views leave out (absent texts, flags and lists) as hawkBit's JSON shows it. */
describe('repository rendering', () => {
  const audit = { createdBy: 'ann', createdAt: 1, lastModifiedBy: 'bob', lastModifiedAt: 2 };

  it('names a module of an unknown type by its type key, and shows absent texts and flags as empty and false', () => {
    expect(renderSoftwareModule({ id: 3, name: 'm', version: '1', type: 'gone', audit })).toEqual({
      id: 3,
      name: 'm',
      version: '1',
      type: 'gone',
      typeName: 'gone',
      vendor: '',
      description: '',
      encrypted: false,
      locked: false,
      deleted: false,
      complete: true,
      ...audit,
      _links: { self: { href: '/rest/v1/softwaremodules/3' } },
    });
  });

  it('renders a set without modules, its flags as given', () => {
    const rendered = renderDistributionSet({
      id: 9,
      name: 's',
      version: '2',
      type: 'os',
      typeName: 'OS only',
      description: 'd',
      locked: true,
      deleted: true,
      requiredMigrationStep: true,
    });
    expect(rendered).toMatchObject({
      typeName: 'OS only',
      description: 'd',
      complete: false,
      locked: true,
      deleted: true,
      valid: true,
      requiredMigrationStep: true,
      modules: [],
      createdBy: '',
      createdAt: 0,
      _links: { self: { href: '/rest/v1/distributionsets/9' } },
    });
  });

  it('leaves out a colour the type does not have, and keeps one it has', () => {
    const moduleType = renderSoftwareModuleType({ id: 1, key: 'os', name: 'OS', maxAssignments: 1, audit });
    expect(moduleType).toMatchObject({ description: '', deleted: false, maxAssignments: 1, minArtifacts: 0 });
    expect(JSON.parse(JSON.stringify(moduleType))).not.toHaveProperty('colour');
    expect(renderDistributionSetType({ id: 2, key: 'k', name: 'n', colour: '#fff', audit })).toEqual({
      id: 2,
      key: 'k',
      name: 'n',
      description: '',
      colour: '#fff',
      deleted: false,
      ...audit,
      _links: { self: { href: '/rest/v1/distributionsettypes/2' } },
    });
  });
});
