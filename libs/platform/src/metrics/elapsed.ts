/** Seconds since `start`, a value of `process.hrtime.bigint()`: monotonic, unaffected by clock changes. */
export function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}
