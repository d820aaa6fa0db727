import { parseDeviceInbound, type DeviceInboundMessage, type ParseResult } from '@fleetwave/contracts';

/** Whether a decoded value claims to be an action status report (the bulk of the topic). */
const isStatusReport = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'UPDATE_ACTION_STATUS';

/**
 * Reads a `device.inbound.v1` value for registration. action-dispatch owns dead-lettering of bad
 * device input, so here an invalid message is only skipped (null), never dead-lettered twice.
 * Action status reports are skipped unvalidated: registration has nothing to do with them, and
 * action-dispatch validates them.
 */
export const parseRegistrationInput = (value: unknown): ParseResult<DeviceInboundMessage | null> => {
  if (isStatusReport(value)) return { ok: true, value: null };
  const parsed = parseDeviceInbound(value);
  return { ok: true, value: parsed.ok ? parsed.value : null };
};

/** Action status reports and invalid messages are settled without a transaction. */
export const isRegistrationInput = (message: DeviceInboundMessage | null): boolean => message !== null;
