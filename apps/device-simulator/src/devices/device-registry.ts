/** How a simulated device answers an update. */
export type DeviceBehaviour = 'succeed' | 'fail';

/**
 * The devices this simulator serves. It answers only for these, so other connectors can share
 * the device topics. Kept in memory: the simulator owns no state.
 */
export class DeviceRegistry {
  private readonly devices = new Map<string, DeviceBehaviour>();

  register(controllerIds: string[], behaviour: DeviceBehaviour): void {
    for (const id of controllerIds) this.devices.set(id, behaviour);
  }

  behaviourOf(controllerId: string): DeviceBehaviour | undefined {
    return this.devices.get(controllerId);
  }

  get size(): number {
    return this.devices.size;
  }
}

/** `prefix-00001` … : zero-padded so ids sort in creation order. */
export function deviceIds(prefix: string, count: number, start = 1): string[] {
  const width = Math.max(5, String(start + count - 1).length);
  return Array.from({ length: count }, (_, i) => `${prefix}-${String(start + i).padStart(width, '0')}`);
}
