import { actionStatuses } from '@fleetwave/contracts';
import { bucketDependsOnActionType, bucketOf } from './status-buckets';

describe('totalTargetsPerStatus buckets', () => {
  it('counts every in-flight status as running, as hawkBit does', () => {
    for (const status of [
      'running',
      'retrieved',
      'warning',
      'download',
      'wait_for_confirmation',
      'canceling',
    ] as const) {
      expect(bucketOf(status, 'forced')).toBe('running');
    }
  });

  it('maps final statuses to their own buckets and scheduled to scheduled', () => {
    expect(bucketOf('finished', 'forced')).toBe('finished');
    expect(bucketOf('error', 'soft')).toBe('error');
    expect(bucketOf('canceled', 'forced')).toBe('cancelled');
    expect(bucketOf('scheduled', 'forced')).toBe('scheduled');
  });

  it('counts downloaded as finished for download-only rollouts and as running otherwise', () => {
    expect(bucketOf('downloaded', 'downloadonly')).toBe('finished');
    expect(bucketOf('downloaded', 'forced')).toBe('running');
  });

  it('needs the action type for exactly the statuses whose bucket depends on it', () => {
    for (const status of actionStatuses) {
      const differs = bucketOf(status, 'downloadonly') !== bucketOf(status, 'forced');
      expect(bucketDependsOnActionType(status)).toBe(differs);
    }
  });
});
