import { EventIdGenerator } from './event-id.util';

const uuidV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('EventIdGenerator', () => {
  it('makes UUIDv7 ids whose first 48 bits are the clock in milliseconds', () => {
    const ms = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
    const id = new EventIdGenerator(() => ms).next();
    expect(id).toMatch(uuidV7);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(ms);
  });

  it('keeps ids in creation order within one millisecond, borrowing the next when the counter runs out', () => {
    const ms = 1_700_000_000_000;
    const generator = new EventIdGenerator(() => ms);
    const ids = Array.from({ length: 10_000 }, () => generator.next());
    expect(ids.every((id) => uuidV7.test(id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    const last = parseInt(ids[ids.length - 1].replace(/-/g, '').slice(0, 12), 16);
    expect(last).toBeGreaterThan(ms);
  });

  it('stays in order when the clock steps back', () => {
    let now = 1_700_000_000_500;
    const generator = new EventIdGenerator(() => now);
    const before = generator.next();
    now -= 400;
    const after = generator.next();
    expect(after > before).toBe(true);
  });

  it('draws the random part afresh for every id', () => {
    const generator = new EventIdGenerator(() => 0);
    const tails = new Set(Array.from({ length: 2_000 }, () => generator.next().slice(19)));
    expect(tails.size).toBe(2_000);
  });
});
