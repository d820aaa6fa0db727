import { assignModules } from './module-assignment';

const osApp = new Map([
  ['os', 1],
  ['application', 3],
]);

describe('assignModules', () => {
  it('adds modules of the types the set type lists, keeping the earlier ones', () => {
    expect(assignModules('os_app', osApp, [{ id: 1, type: 'os' }], [{ id: 2, type: 'application' }])).toEqual({
      ok: true,
      moduleIds: [1, 2],
    });
  });

  it('replaces the module of a type allowed once', () => {
    const current = [
      { id: 1, type: 'os' },
      { id: 2, type: 'application' },
    ];
    expect(assignModules('os_app', osApp, current, [{ id: 5, type: 'os' }])).toEqual({ ok: true, moduleIds: [2, 5] });
  });

  it('refuses a module type the set type does not list, naming both', () => {
    const outcome = assignModules('os', new Map([['os', 1]]), [], [{ id: 7, type: 'application' }]);
    expect(outcome).toEqual({
      ok: false,
      message: "software module 7 of type 'application' is not supported by distribution set type 'os'",
    });
  });

  it('refuses more modules of a type than its maximum', () => {
    const added = [1, 2, 3, 4].map((id) => ({ id, type: 'application' }));
    expect(assignModules('os_app', osApp, [], added)).toEqual({
      ok: false,
      message: "distribution set type 'os_app' allows at most 3 modules of type 'application'",
    });
  });

  it('ignores a module assigned again and duplicates in one request', () => {
    const current = [{ id: 2, type: 'application' }];
    const added = [
      { id: 2, type: 'application' },
      { id: 3, type: 'application' },
      { id: 3, type: 'application' },
    ];
    expect(assignModules('os_app', osApp, current, added)).toEqual({ ok: true, moduleIds: [2, 3] });
  });

  it('takes any module for a set type the catalogue does not know', () => {
    expect(assignModules('custom', undefined, [], [{ id: 9, type: 'firmware' }])).toEqual({ ok: true, moduleIds: [9] });
  });
});
