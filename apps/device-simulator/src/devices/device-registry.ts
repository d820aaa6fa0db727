/**
 * How a simulated device answers an update: `succeed` and `fail` install at once; `hold` keeps
 * installing until it is cancelled (it then confirms the cancel); `reject-cancel` keeps
 * installing, refuses a cancel and then finishes. Asked to confirm an action (CONFIRM), `confirm`
 * answers CONFIRMED and then installs as `succeed` does; `deny` answers DENIED (and would install
 * as `succeed` if instructed anyway); the other behaviours leave the request unanswered, as a
 * device whose user never decides.
 */
export const deviceBehaviours = ['succeed', 'fail', 'hold', 'reject-cancel', 'confirm', 'deny'] as const;
export type DeviceBehaviour = (typeof deviceBehaviours)[number];

/**
 * A run of devices registered in one call: `prefix-<start>` … `prefix-<start+count-1>`, the
 * number zero-padded to `width` digits. Stored as arithmetic, not as ids, so a million devices
 * cost one record.
 */
export interface DeviceRange {
  prefix: string;
  start: number;
  count: number;
  width: number;
  behaviour: DeviceBehaviour;
}

/**
 * The devices this simulator serves. It answers only for these, so other connectors can share
 * the device topics. A device registered again takes the behaviour of its latest registration.
 */
export class DeviceRegistry {
  private readonly byPrefix = new Map<string, DeviceRange[]>();
  private readonly order: DeviceRange[] = [];

  constructor(ranges: readonly DeviceRange[] = []) {
    for (const range of ranges) this.add(range);
  }

  /** Adds a range; one identical to an earlier range (same ids) replaces it. */
  add(range: DeviceRange): void {
    const same = (r: DeviceRange): boolean =>
      r.prefix === range.prefix && r.start === range.start && r.count === range.count && r.width === range.width;
    const existing = this.order.findIndex(same);
    if (existing >= 0) this.order.splice(existing, 1);
    this.order.push(range);
    const list = (this.byPrefix.get(range.prefix) ?? []).filter((r) => !same(r));
    list.push(range);
    this.byPrefix.set(range.prefix, list);
  }

  behaviourOf(controllerId: string): DeviceBehaviour | undefined {
    const dash = controllerId.lastIndexOf('-');
    if (dash <= 0) return undefined;
    const list = this.byPrefix.get(controllerId.slice(0, dash));
    if (!list) return undefined;
    const digits = controllerId.slice(dash + 1);
    if (!/^\d+$/.test(digits)) return undefined;
    const n = Number(digits);
    // Newest first: a later registration of the same device decides its behaviour.
    for (let i = list.length - 1; i >= 0; i--) {
      const r = list[i];
      if (digits.length === r.width && n >= r.start && n < r.start + r.count) return r.behaviour;
    }
    return undefined;
  }

  /** Every range, oldest first, as persisted. */
  ranges(): readonly DeviceRange[] {
    return this.order;
  }

  /** Devices registered (overlapping registrations counted once per registration). */
  get size(): number {
    return this.order.reduce((sum, r) => sum + r.count, 0);
  }
}

/** The range of `deviceIds(prefix, count, start)`; the width keeps ids sorting in creation order. */
export function deviceRange(prefix: string, count: number, start: number, behaviour: DeviceBehaviour): DeviceRange {
  return { prefix, start, count, width: Math.max(5, String(start + count - 1).length), behaviour };
}

/** The controllerId of the `index`-th device (0-based) of a range. */
export function deviceIdAt(range: DeviceRange, index: number): string {
  return `${range.prefix}-${String(range.start + index).padStart(range.width, '0')}`;
}

/** `prefix-00001` … : zero-padded so ids sort in creation order. */
export function deviceIds(prefix: string, count: number, start = 1): string[] {
  const range = deviceRange(prefix, count, start, 'succeed');
  return Array.from({ length: count }, (_, i) => deviceIdAt(range, i));
}
