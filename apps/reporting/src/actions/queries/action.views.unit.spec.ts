import { renderAction } from '@fleetwave/contracts';
import { statusEntryId, STATUS_ENTRIES_PER_ACTION, toActionView, type ActionViewRow } from './action.views';

const shown = (r: ActionViewRow) => renderAction(toActionView(r));

const row: ActionViewRow = {
  id: '41',
  rollout_id: '7',
  group_id: '8',
  controller_id: 'dev-1',
  status: 'wait_for_confirmation',
  active: true,
  type: 'update',
  created_at: '1000',
  last_modified_at: '2000',
  last_status_code: null,
  rollout_name: null,
  action_type: null,
  weight: null,
  force_time: null,
  distribution_set_id: null,
  distribution_set_name: null,
  distribution_set_version: null,
  created_by: 'system',
};

describe('action views', () => {
  it('shows an action whose rollout is not projected yet without the rollout facts it lacks', () => {
    const self = '/rest/v1/targets/dev-1/actions/41';
    expect(JSON.parse(JSON.stringify(shown(row)))).toEqual({
      id: 41,
      type: 'update',
      status: 'pending',
      detailStatus: 'wait_for_confirmation',
      active: true,
      rollout: 7,
      createdAt: 1_000,
      createdBy: 'system',
      lastModifiedAt: 2_000,
      lastModifiedBy: 'system',
      _links: {
        self: { href: self },
        target: { href: '/rest/v1/targets/dev-1', name: 'dev-1' },
        status: { href: `${self}/status?offset=0&limit=50&sort=id%3ADESC` },
        rollout: { href: '/rest/v1/rollouts/7' },
      },
    });
  });

  it('gives forceTime only to time-forced actions', () => {
    const known = { ...row, rollout_name: 'r', weight: 5, force_time: '9000' };
    expect(shown({ ...known, action_type: 'forced' }).forceTime).toBeUndefined();
    expect(shown({ ...known, action_type: 'timeforced' }).forceTime).toBe(9_000);
  });

  it('numbers status entries so that no two actions share an id and ids follow the history', () => {
    expect(statusEntryId(41, 0)).toBe(41_000);
    expect(statusEntryId(41, STATUS_ENTRIES_PER_ACTION - 1)).toBeLessThan(statusEntryId(42, 0));
    expect(statusEntryId(41, 3)).toBeGreaterThan(statusEntryId(41, 2));
  });
});
