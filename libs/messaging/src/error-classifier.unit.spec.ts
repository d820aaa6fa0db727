import { DeadLetterError } from './dead-letter';
import { classifyError, failureReason } from './error-classifier';

/** A driver-shaped error: pg sets `code` to the SQLSTATE. */
const pgError = (code: string, message = `failed with ${code}`): Error => Object.assign(new Error(message), { code });

describe('classifyError', () => {
  it.each(['22P02', '22003', '22021', '22008', '2201X', '23502', '23514'])(
    'treats data error %s as permanent',
    (code) => {
      expect(classifyError(pgError(code))).toBe('permanent');
    },
  );

  it.each(['08006', '08001', '57P01', '57P02', '57P03', '53300', '40001', '40P01'])(
    'treats %s (connection, resources, concurrency) as transient',
    (code) => expect(classifyError(pgError(code))).toBe('transient'),
  );

  it('leaves other SQLSTATEs unclassified, to be retried a few times', () => {
    expect(classifyError(pgError('23505'))).toBe('unknown');
    expect(classifyError(pgError('42P01'))).toBe('unknown');
  });

  it('treats dead letters, rule violations and bad-data runtime errors as permanent', () => {
    expect(classifyError(new DeadLetterError('unknown action 7'))).toBe('permanent');
    const rule = Object.assign(new Error('rollout 4 is finished'), { code: 'ROLLOUT.ILLEGAL_STATE' });
    expect(classifyError(rule)).toBe('permanent');
    expect(classifyError(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe('permanent');
    expect(classifyError(new RangeError('The number 1.5 cannot be converted to a BigInt'))).toBe('permanent');
  });

  it('treats a lost connection, a pool timeout, a stale revision and retriable broker errors as transient', () => {
    expect(
      classifyError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })),
    ).toBe('transient');
    expect(classifyError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe('transient');
    expect(classifyError(new Error('Connection terminated unexpectedly'))).toBe('transient');
    expect(classifyError(new Error('timeout exceeded when trying to connect'))).toBe('transient');
    const conflict = Object.assign(new Error('expected revision 3'), { code: 'EVENT_STORE.WRONG_EXPECTED_VERSION' });
    expect(classifyError(conflict)).toBe('transient');
    const broker = Object.assign(new Error('There is no leader for this topic-partition'), {
      name: 'KafkaJSProtocolError',
      retriable: true,
    });
    expect(classifyError(broker)).toBe('transient');
  });

  it('leaves plain errors and non-errors unclassified', () => {
    expect(classifyError(new Error('downstream briefly unavailable'))).toBe('unknown');
    expect(classifyError('a string')).toBe('unknown');
    expect(classifyError(undefined)).toBe('unknown');
  });
});

describe('failureReason', () => {
  it('keeps the error text and adds the SQLSTATE or code', () => {
    expect(failureReason(pgError('22P02', 'invalid input syntax for type bigint: "1.5"'))).toBe(
      'Error: invalid input syntax for type bigint: "1.5" (SQLSTATE 22P02)',
    );
    const rule = Object.assign(new Error('rollout 4 is finished'), { code: 'ROLLOUT.ILLEGAL_STATE' });
    expect(failureReason(rule)).toBe('Error: rollout 4 is finished (code ROLLOUT.ILLEGAL_STATE)');
    expect(failureReason(new DeadLetterError('unknown device d9'))).toBe('unknown device d9');
  });
});
