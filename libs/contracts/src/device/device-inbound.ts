import { ArrayMaxSize, IsArray, IsIn, IsOptional, validateSync } from 'class-validator';
import {
  BoundedText,
  FieldLengths,
  INT32,
  IsAttributeMap,
  IsControllerId,
  IsEntityId,
  IsEpochMillis,
  IsIntInRange,
  MAX_STATUS_MESSAGES,
  nestsDeeperThan,
} from './field-rules';

export * from './field-rules';

/** Messages on `device.inbound.v1` (device connectors → system). Key: controllerId. */

export const deviceActionStatuses = [
  'DOWNLOAD',
  'RETRIEVED',
  'RUNNING',
  'FINISHED',
  'ERROR',
  'WARNING',
  'CANCELED',
  'CANCEL_REJECTED',
  'DOWNLOADED',
  'CONFIRMED',
  'DENIED',
] as const;
export type DeviceActionStatus = (typeof deviceActionStatuses)[number];

export class ThingCreatedMessage {
  @IsIn(['THING_CREATED']) type!: 'THING_CREATED';
  @IsOptional() @BoundedText(FieldLengths.tenant) tenant?: string;
  @IsControllerId() controllerId!: string;
  @IsOptional() @BoundedText(FieldLengths.name) name?: string;
  @IsOptional() @IsAttributeMap() attributes?: Record<string, string>;
}

export class UpdateAttributesMessage {
  @IsIn(['UPDATE_ATTRIBUTES']) type!: 'UPDATE_ATTRIBUTES';
  @IsOptional() @BoundedText(FieldLengths.tenant) tenant?: string;
  @IsControllerId() controllerId!: string;
  @IsAttributeMap() attributes!: Record<string, string>;
  @IsOptional() @IsIn(['merge', 'replace', 'remove']) mode?: 'merge' | 'replace' | 'remove';
}

export class UpdateActionStatusMessage {
  @IsIn(['UPDATE_ACTION_STATUS']) type!: 'UPDATE_ACTION_STATUS';
  @IsOptional() @BoundedText(FieldLengths.tenant) tenant?: string;
  @IsControllerId() controllerId!: string;
  @IsEntityId() actionId!: number;
  @IsIn(deviceActionStatuses) status!: DeviceActionStatus;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_STATUS_MESSAGES)
  @BoundedText(FieldLengths.statusMessage, { each: true })
  messages?: string[];
  @IsOptional() @IsIntInRange(INT32.min, INT32.max) code?: number;
  @IsOptional() @IsEpochMillis() timestamp?: number;
}

export type DeviceInboundMessage = ThingCreatedMessage | UpdateAttributesMessage | UpdateActionStatusMessage;

const inboundClasses = {
  THING_CREATED: ThingCreatedMessage,
  UPDATE_ATTRIBUTES: UpdateAttributesMessage,
  UPDATE_ACTION_STATUS: UpdateActionStatusMessage,
} as const;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Deepest nesting a device message needs is 2 (attributes, messages); anything far deeper is hostile. */
const MAX_MESSAGE_DEPTH = 8;

const shown = (value: unknown): string => (JSON.stringify(value) ?? String(value)).slice(0, 80);

/**
 * The value's fields on an instance of its class, for the validator. The value is freshly
 * decoded JSON and the classes declare no conversions, so its fields are taken over as they are
 * (a fraction of what a class-transformer pass costs per message); a `__proto__` key stays a
 * plain field instead of replacing the instance's prototype.
 */
function instanceOf<T extends object>(cls: new () => T, value: object): T {
  const instance = new cls();
  // Assignment would take a `__proto__` key for the prototype; only then is each field defined.
  if (!Object.hasOwn(value, '__proto__')) return Object.assign(instance, value);
  for (const [key, field] of Object.entries(value)) {
    Object.defineProperty(instance, key, { value: field, enumerable: true, writable: true, configurable: true });
  }
  return instance;
}

/** Validates a decoded JSON value as a device inbound message; the reason names what is wrong. */
export function parseDeviceInbound(value: unknown): ParseResult<DeviceInboundMessage> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'message is not a JSON object' };
  }
  if (nestsDeeperThan(value, MAX_MESSAGE_DEPTH)) {
    return { ok: false, reason: `message nests deeper than ${MAX_MESSAGE_DEPTH} levels` };
  }
  const type = (value as { type?: unknown }).type;
  const cls =
    typeof type === 'string' && Object.hasOwn(inboundClasses, type)
      ? inboundClasses[type as keyof typeof inboundClasses]
      : undefined;
  if (!cls) return { ok: false, reason: `unknown message type ${shown(type)}` };
  const instance = instanceOf(cls as new () => DeviceInboundMessage, value);
  const errors = validateSync(instance as object, { forbidUnknownValues: true });
  if (errors.length > 0) {
    const details = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ')}`).join('; ');
    return { ok: false, reason: `invalid ${type}: ${details}` };
  }
  return { ok: true, value: instance };
}
