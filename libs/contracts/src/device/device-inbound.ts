import {
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsPositive,
  IsString,
  MaxLength,
  validateSync,
} from 'class-validator';
import { plainToInstance } from 'class-transformer';

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
  @IsOptional() @IsString() tenant?: string;
  @IsString() @IsNotEmpty() @MaxLength(256) controllerId!: string;
  @IsOptional() @IsString() @MaxLength(128) name?: string;
  @IsOptional() @IsObject() attributes?: Record<string, string>;
}

export class UpdateAttributesMessage {
  @IsIn(['UPDATE_ATTRIBUTES']) type!: 'UPDATE_ATTRIBUTES';
  @IsOptional() @IsString() tenant?: string;
  @IsString() @IsNotEmpty() @MaxLength(256) controllerId!: string;
  @IsObject() attributes!: Record<string, string>;
  @IsOptional() @IsIn(['merge', 'replace', 'remove']) mode?: 'merge' | 'replace' | 'remove';
}

export class UpdateActionStatusMessage {
  @IsIn(['UPDATE_ACTION_STATUS']) type!: 'UPDATE_ACTION_STATUS';
  @IsOptional() @IsString() tenant?: string;
  @IsString() @IsNotEmpty() @MaxLength(256) controllerId!: string;
  @IsInt() @IsPositive() actionId!: number;
  @IsIn(deviceActionStatuses) status!: DeviceActionStatus;
  @IsOptional() @IsArray() @IsString({ each: true }) messages?: string[];
  @IsOptional() @IsInt() code?: number;
  @IsOptional() @IsInt() timestamp?: number;
}

export type DeviceInboundMessage = ThingCreatedMessage | UpdateAttributesMessage | UpdateActionStatusMessage;

const inboundClasses = {
  THING_CREATED: ThingCreatedMessage,
  UPDATE_ATTRIBUTES: UpdateAttributesMessage,
  UPDATE_ACTION_STATUS: UpdateActionStatusMessage,
} as const;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Validates a decoded JSON value as a device inbound message; the reason names what is wrong. */
export function parseDeviceInbound(value: unknown): ParseResult<DeviceInboundMessage> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'message is not a JSON object' };
  }
  const type = (value as { type?: unknown }).type;
  const cls = typeof type === 'string' ? inboundClasses[type as keyof typeof inboundClasses] : undefined;
  if (!cls) return { ok: false, reason: `unknown message type ${JSON.stringify(type)}` };
  const instance = plainToInstance(cls as new () => DeviceInboundMessage, value);
  const errors = validateSync(instance as object, { forbidUnknownValues: true });
  if (errors.length > 0) {
    const details = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ')}`).join('; ');
    return { ok: false, reason: `invalid ${type}: ${details}` };
  }
  return { ok: true, value: instance };
}
