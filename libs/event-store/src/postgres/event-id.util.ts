import { randomFillSync } from 'node:crypto';

/**
 * Ids for events whose writer supplies none: UUIDv7 (RFC 9562), i.e. a millisecond timestamp,
 * then a counter, then 62 random bits. Random (v4) ids land on random leaves of the unique
 * event_id index, so every append touches pages all over an index that outgrows memory as the
 * store grows; time-ordered ids are appended at its right edge like positions are.
 */
const hex = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

export class EventIdGenerator {
  private lastMs = -1;
  private counter = 0;
  // `tttttttt-tttt-7`, the part shared by the ids of one millisecond.
  private prefix = '';
  // One fill of the random pool serves many ids: a crypto call per id would dominate.
  private readonly pool = Buffer.alloc(8 * 1024);
  private offset = this.pool.length;

  constructor(private readonly clock: () => number = Date.now) {}

  /** A new UUIDv7, greater than every id this generator made before. */
  next(): string {
    this.advance();
    if (this.offset === this.pool.length) {
      randomFillSync(this.pool);
      this.offset = 0;
    }
    const p = this.pool;
    const o = this.offset;
    this.offset += 8;
    const counter = this.counter.toString(16).padStart(3, '0');
    return (
      `${this.prefix}${counter}-${hex[(p[o] & 0x3f) | 0x80]}${hex[p[o + 1]]}-` +
      `${hex[p[o + 2]]}${hex[p[o + 3]]}${hex[p[o + 4]]}${hex[p[o + 5]]}${hex[p[o + 6]]}${hex[p[o + 7]]}`
    );
  }

  // The 12-bit counter keeps ids of one millisecond in order; it starts at a random value in
  // its lower half (so ids of different processes rarely share a prefix) and, when it runs out,
  // borrows the next millisecond.
  private advance(): void {
    const now = this.clock();
    if (now > this.lastMs) {
      this.setMillisecond(now);
      this.counter = Math.floor(Math.random() * 0x800);
    } else if (this.counter < 0xfff) {
      this.counter++;
    } else {
      this.setMillisecond(this.lastMs + 1);
      this.counter = 0;
    }
  }

  private setMillisecond(ms: number): void {
    this.lastMs = ms;
    const digits = ms.toString(16).padStart(12, '0');
    this.prefix = `${digits.slice(0, 8)}-${digits.slice(8)}-7`;
  }
}
