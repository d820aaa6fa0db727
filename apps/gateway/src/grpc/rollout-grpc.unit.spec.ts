import { listQuery, toCreateBody, toRolloutMessage } from './proto-mapping';
import { rolloutServiceDefinition } from './rollout-grpc.server';
import { implementedMethods } from './rollout-grpc.service';

describe('rollout.v1 over the rollout API', () => {
  it('implements every method of the proto, and nothing else', () => {
    const declared = Object.keys(rolloutServiceDefinition());
    expect([...implementedMethods].sort()).toEqual([...declared].sort());
  });

  it('sends only the fields a create request set, and no empty group list', () => {
    const body = toCreateBody({
      name: 'r',
      distributionSetId: 3,
      targetFilterQuery: 'id==*',
      amountGroups: 2,
      groups: [],
      _description: 'description',
      description: undefined,
      errorCondition: { condition: 'ERROR_COUNT', expression: '5' },
    });
    expect(body).toEqual({
      name: 'r',
      distributionSetId: 3,
      targetFilterQuery: 'id==*',
      amountGroups: 2,
      errorCondition: { condition: 'ERROR_COUNT', expression: '5' },
    });
  });

  it('turns a REST rollout into the message, with counts complete', () => {
    const message = toRolloutMessage({ id: 4, name: 'r', status: 'running', totalTargetsPerStatus: { finished: 2 } });
    expect(message).toMatchObject({
      id: 4,
      status: 'running',
      totalTargetsPerStatus: { running: 0, notstarted: 0, scheduled: 0, cancelled: 0, finished: 2, error: 0 },
    });
  });

  it('builds list parameters from a page request', () => {
    expect(listQuery({ offset: 10, limit: 5, sort: 'id:DESC', q: 'name==a*' })).toBe(
      '?offset=10&limit=5&sort=id%3ADESC&q=name%3D%3Da*',
    );
    expect(listQuery(undefined)).toBe('');
  });
});
