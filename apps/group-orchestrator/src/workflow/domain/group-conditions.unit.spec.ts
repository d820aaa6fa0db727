import { figures } from '../testing/workflow-events.builders';
import { errorHolds, isComplete, successHolds } from './group-conditions';

const threshold = (expression: number) => ({ condition: 'THRESHOLD' as const, expression });
const errorCount = (expression: number) => ({ condition: 'ERROR_COUNT' as const, expression });

describe('group conditions', () => {
  it('THRESHOLD errors only above the percentage (strict)', () => {
    expect(errorHolds(threshold(50), figures(10, 0, 5))).toBe(false);
    expect(errorHolds(threshold(50), figures(10, 0, 6))).toBe(true);
    // 1 of 3 is 33.3 %: above 33, not above 34 (integer arithmetic, no rounding).
    expect(errorHolds(threshold(33), figures(3, 0, 1))).toBe(true);
    expect(errorHolds(threshold(34), figures(3, 0, 1))).toBe(false);
  });

  it('ERROR_COUNT errors only above the number of devices (strict)', () => {
    expect(errorHolds(errorCount(5), figures(100, 0, 5))).toBe(false);
    expect(errorHolds(errorCount(5), figures(100, 0, 6))).toBe(true);
  });

  it('an empty group never errors', () => {
    expect(errorHolds(threshold(0), figures(0))).toBe(false);
    expect(errorHolds(errorCount(-1), figures(0))).toBe(false);
  });

  it('success holds at the percentage (≥), and always for an empty group', () => {
    expect(successHolds(threshold(50), figures(10, 4))).toBe(false);
    expect(successHolds(threshold(50), figures(10, 5))).toBe(true);
    expect(successHolds(threshold(100), figures(0))).toBe(true);
  });

  it('cancelled actions stay in the denominator, count for neither condition, and complete the group', () => {
    const f = figures(4, 1, 0, 3);
    expect(successHolds(threshold(50), f)).toBe(false);
    expect(errorHolds(threshold(0), f)).toBe(false);
    expect(isComplete(f)).toBe(true);
    expect(isComplete(figures(4, 1, 1, 1))).toBe(false);
  });
});
