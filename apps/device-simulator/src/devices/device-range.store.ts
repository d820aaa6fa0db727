import { Logger } from '@nestjs/common';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { deviceBehaviours, type DeviceBehaviour, type DeviceRange } from './device-registry';

/** Ranges kept at most; the oldest go first, so years of test runs stay a small file. */
const maxRanges = 10_000;

/**
 * The registered device ranges in a small JSON file, so a restarted simulator (even after
 * SIGKILL) keeps answering for the devices it registered before. Ranges are arithmetic, so the
 * file stays a few bytes per registration call whatever the device count. Without a path
 * nothing is kept.
 */
export class DeviceRangeStore {
  private readonly logger = new Logger('device-simulator');

  constructor(private readonly path: string | undefined) {}

  load(): DeviceRange[] {
    if (!this.path) return [];
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch {
      return [];
    }
    try {
      const parsed = JSON.parse(text) as { ranges?: unknown };
      const ranges = Array.isArray(parsed.ranges) ? parsed.ranges.filter(isRange) : [];
      this.logger.log(`serving ${ranges.length} persisted device range(s) from ${this.path}`);
      return ranges;
    } catch {
      // A damaged file must not stop the simulator; it only forgets the earlier devices.
      this.logger.warn(`ignoring unreadable device file ${this.path}`);
      return [];
    }
  }

  /** Replaces the file atomically (write, then rename), so a crash leaves the old or the new list. */
  save(ranges: readonly DeviceRange[]): void {
    if (!this.path) return;
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ version: 1, ranges: ranges.slice(-maxRanges) }));
    renameSync(temporary, this.path);
  }
}

const behaviours: readonly DeviceBehaviour[] = deviceBehaviours;

function isRange(value: unknown): value is DeviceRange {
  const r = value as Partial<DeviceRange> | null;
  return (
    typeof r?.prefix === 'string' &&
    r.prefix.length > 0 &&
    [r.start, r.count, r.width].every((n) => Number.isSafeInteger(n) && (n as number) > 0) &&
    behaviours.includes(r.behaviour as DeviceBehaviour)
  );
}
