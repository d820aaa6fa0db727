import { Topics } from '@fleetwave/contracts';
import { intSetting } from '@fleetwave/platform';
import { join } from 'node:path';

/** Settings of the simulator beyond the platform's; tests pass their own topics and group. */
export interface SimulatorConfig {
  /** Where THING_CREATED and status reports go. */
  inboundTopic: string;
  /** Where update offers come from. */
  outboundTopic: string;
  groupId: string;
  /** JSON file of the registered device ranges; undefined keeps them in memory only. */
  stateFile?: string;
  /** Partitions of the outbound topic answered at the same time. */
  partitionsConsumedConcurrently: number;
  /** THING_CREATED messages built and handed to the publisher at once. */
  registrationChunk: number;
  /** Registration chunks in flight; each device appears once per call, so their order does not matter. */
  registrationInFlight: number;
}

export const defaultSimulatorConfig: SimulatorConfig = {
  inboundTopic: Topics.deviceInbound,
  outboundTopic: Topics.deviceOutbound,
  groupId: 'device-simulator',
  partitionsConsumedConcurrently: 6,
  registrationChunk: 5_000,
  registrationInFlight: 3,
};

/**
 * Reads the simulator settings once at start-up. The device file lives in the cluster's local
 * directory (`FLEETWAVE_LOCAL_DIR`, `.local` by default) unless `DEVICE_SIMULATOR_STATE_FILE`
 * names another; `DEVICE_SIMULATOR_STATE_FILE=none` keeps devices in memory only. Topics and
 * group can be moved (`DEVICE_SIMULATOR_INBOUND_TOPIC`, `…_OUTBOUND_TOPIC`, `…_GROUP_ID`) so a
 * measurement can run the real process on private topics.
 */
export function readSimulatorConfig(env: Record<string, string | undefined> = process.env): SimulatorConfig {
  const configured = env.DEVICE_SIMULATOR_STATE_FILE;
  const stateFile =
    configured === 'none'
      ? undefined
      : configured || join(env.FLEETWAVE_LOCAL_DIR || '.local', 'device-simulator', 'devices.json');
  return {
    ...defaultSimulatorConfig,
    inboundTopic: env.DEVICE_SIMULATOR_INBOUND_TOPIC || defaultSimulatorConfig.inboundTopic,
    outboundTopic: env.DEVICE_SIMULATOR_OUTBOUND_TOPIC || defaultSimulatorConfig.outboundTopic,
    groupId: env.DEVICE_SIMULATOR_GROUP_ID || defaultSimulatorConfig.groupId,
    stateFile,
    partitionsConsumedConcurrently: intSetting(env, 'DEVICE_SIMULATOR_CONCURRENCY', 6, 1, 64),
  };
}
