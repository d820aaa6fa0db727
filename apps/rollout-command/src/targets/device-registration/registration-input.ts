import { parseDeviceInbound, type DeviceInboundMessage, type ParseResult } from '@fleetwave/contracts';

/**
 * Reads a `device.inbound.v1` value for registration. action-dispatch owns dead-lettering of bad
 * device input, so here an invalid message is only skipped (null), never dead-lettered twice.
 */
export const parseRegistrationInput = (value: unknown): ParseResult<DeviceInboundMessage | null> => {
  const parsed = parseDeviceInbound(value);
  return { ok: true, value: parsed.ok ? parsed.value : null };
};

/** Action status messages (the bulk of the topic) are settled without a transaction. */
export const isRegistrationInput = (message: DeviceInboundMessage | null): boolean =>
  message !== null && message.type !== 'UPDATE_ACTION_STATUS';
