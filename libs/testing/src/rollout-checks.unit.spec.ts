import { checkInstructions } from './rollout-checks';
import type { TopicRecord } from './topic-reader';

const instruction = (offset: number, actionId: number, eventId: string, rolloutId = 7): TopicRecord => ({
  partition: 0,
  offset: BigInt(offset),
  timestamp: 0,
  key: 'dev',
  value: JSON.stringify({ type: 'DOWNLOAD_AND_INSTALL', rolloutId, actionId, groupId: 1, controllerId: 'dev' }),
  headers: { ce_id: eventId },
});

const byName = (results: ReturnType<typeof checkInstructions>) => Object.fromEntries(results.map((r) => [r.check, r]));

describe('checkInstructions', () => {
  it('passes when every action of the rollout got exactly one instruction', () => {
    const records = [
      instruction(0, 1, 'a'),
      instruction(1, 2, 'b'),
      instruction(2, 9, 'z', 8),
      { ...instruction(3, 1, 'x'), value: 'not json' },
    ];
    const results = byName(checkInstructions(records, 7, new Set([1, 2])));
    expect(results['exactly one instruction per action'].pass).toBe(true);
    expect(results['no instruction for an unknown action'].pass).toBe(true);
  });

  it('counts neither a request to confirm nor a cancel as an instruction', () => {
    const as = (type: string, record: TopicRecord): TopicRecord => ({
      ...record,
      value: JSON.stringify({ ...JSON.parse(record.value), type }),
    });
    const records = [
      as('CONFIRM', instruction(0, 1, 'a')),
      instruction(1, 1, 'b'),
      as('CANCEL_DOWNLOAD', instruction(2, 1, 'c')),
    ];
    const results = byName(checkInstructions(records, 7, new Set([1])));
    expect(results['exactly one instruction per action'].pass).toBe(true);
    expect(
      byName(checkInstructions(records.slice(0, 1), 7, new Set([1])))['exactly one instruction per action'].pass,
    ).toBe(false);
  });

  it('tells a relay re-send (same event id) from a second instruction, and names missing actions', () => {
    const records = [instruction(0, 1, 'a'), instruction(1, 1, 'a'), instruction(2, 2, 'b'), instruction(3, 2, 'c')];
    const results = byName(checkInstructions(records, 7, new Set([1, 2, 3])));
    expect(results['exactly one instruction per action']).toMatchObject({
      pass: false,
      detail: { instructed: 2, actions: 3, relayResends: 1, instructedTwice: 1, missing: [3] },
    });
  });

  it('accepts a relay re-send of the same event (at-least-once delivery) and counts it', () => {
    const records = [instruction(0, 1, 'a'), instruction(1, 1, 'a'), instruction(2, 2, 'b')];
    const results = byName(checkInstructions(records, 7, new Set([1, 2])));
    expect(results['exactly one instruction per action']).toMatchObject({
      pass: true,
      detail: { instructed: 2, actions: 2, relayResends: 1, instructedTwice: 0, missing: [] },
    });
  });

  it('flags instructions for actions the rollout does not have', () => {
    const results = byName(checkInstructions([instruction(0, 5, 'a')], 7, new Set()));
    expect(results['no instruction for an unknown action']).toMatchObject({ pass: false, detail: [5] });
  });
});
