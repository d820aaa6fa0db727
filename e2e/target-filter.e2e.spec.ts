import { eventually, uniqueName } from '@fleetwave/testing';
import { admin, createReadyRollout, untilStatus } from './testing/rollout-steps';

/**
 * The target filter language through REST, over every field SPEC.md lists, on targets that got
 * their facts the ways a fleet gets them: devices registering with attributes, a rollout run to
 * its end (assigned and installed set, last request), and the Management API (name, description,
 * tag, type, metadata).
 */
describe('the target filter language on /targets', () => {
  const prefix = uniqueName('rsql');
  /** The two devices (as the simulator names them), then the two targets the API creates. */
  const ids = (n: number) => `${prefix}-${['00001', '00002', 'lab', 'roof'][n - 1]}`;
  /** The distribution set the rollout installs (createReadyRollout names it after the fleet). */
  const setName = `release-${prefix}`;
  let before = 0;

  /** The controllerIds `q` (scoped to this fleet) selects, in order. */
  const select = async (q: string): Promise<string[]> => {
    const page = await admin.expect<{ content: { controllerId: string }[] }>(
      200,
      'GET',
      `/targets?limit=50&sort=controllerId:ASC&q=${encodeURIComponent(`controllerId==${prefix}-*;(${q})`)}`,
    );
    return page.content.map((t) => t.controllerId);
  };

  beforeAll(async () => {
    before = Date.now() - 1_000;
    // Devices 1 and 2 register with attributes and take part in a rollout; 3 and 4 are created by the API.
    await admin.registerDevices(prefix, 2, 'succeed', 1, { hwRevision: 'b2', region: 'north' });
    await eventually(async () => expect(await admin.countTargets(`controllerId==${prefix}-*`)).toBe(2), {
      timeoutMs: 60_000,
      description: 'devices registered',
    });
    const rollout = await createReadyRollout(prefix, { amountGroups: 1 });
    await admin.expect(204, 'POST', `/rollouts/${rollout}/start`);
    await untilStatus(rollout, 'finished');

    await admin.expect(201, 'POST', '/targets', [
      { controllerId: ids(3), name: 'lab bench', description: 'left shelf' },
      { controllerId: ids(4), name: 'field unit', description: 'roof' },
    ]);
    const [tag] = await admin.expect<{ id: number }[]>(201, 'POST', '/targettags', [{ name: `${prefix}-lab` }]);
    await admin.expect(204, 'POST', `/targettags/${tag.id}/assigned`, [ids(3)]);
    const [type] = await admin.expect<{ id: number }[]>(201, 'POST', '/targettypes', [
      { name: `${prefix}-gateway`, key: `${prefix}-gw` },
    ]);
    await admin.expect(204, 'POST', `/targets/${ids(4)}/targettype`, { id: type.id });
    await admin.expect(201, 'POST', `/targets/${ids(4)}/metadata`, [{ key: 'site', value: 'berlin' }]);
  }, 180_000);

  it.each([
    ['controllerId', `controllerId==${ids(3)}`, [3]],
    ['id', 'id=gt=0', [1, 2, 3, 4]],
    ['name', 'name==lab*', [3]],
    ['name !=', 'name!=lab*', [1, 2, 4]],
    ['description', 'description==roof', [4]],
    ['updateStatus', 'updatestatus==in_sync', [1, 2]],
    ['updateStatus =in=', 'updateStatus=in=(registered,unknown)', [3, 4]],
    ['attribute', 'attribute.hwRevision==b2;attribute.region==north', [1, 2]],
    ['tag', `tag==${prefix}-lab`, [3]],
    ['type', `type==${prefix}-gw`, [4]],
    ['assigned set', `assignedds.name==${setName};assignedds.version==1.0.0`, [1, 2]],
    ['installed set', `installedds.name==${setName}`, [1, 2]],
    ['last request', 'lastcontrollerrequestat=gt=0', [1, 2]],
    ['metadata', 'metadata.site==berlin', [4]],
    ['or and parentheses', `(name==lab*,description==roof);name!=field*`, [3]],
    ['=out=', `controllerId=out=(${ids(1)},${ids(2)})`, [3, 4]],
  ])('selects by %s', async (_field, q, expected) => {
    expect(await select(q)).toEqual(expected.map(ids));
  });

  it('selects by creation and change times', async () => {
    expect(await select(`createdat=ge=${before}`)).toEqual([1, 2, 3, 4].map(ids));
    expect(await select(`lastmodifiedat=lt=${before}`)).toEqual([]);
  });

  it.each(['name==', 'name==(a', 'nonsense==1', 'createdat=gt=yesterday', 'name==a;;id==1', 'attribute==x'])(
    'refuses the malformed query %s with a 400 that says where',
    async (q) => {
      const answer = await admin.call<{ errorCode: string; message: string }>(
        'GET',
        `/targets?q=${encodeURIComponent(q)}`,
      );
      expect(answer.status).toBe(400);
      expect(answer.body.errorCode).toMatch(/^hawkbit\.server\.error\./);
      expect(answer.body.message).toMatch(/position \d+/);
    },
  );
});
