import { IsBoolean, IsOptional } from 'class-validator';
import type { PipeTransform } from '@nestjs/common';
import {
  BoundedText,
  FieldLengths,
  IsControllerId,
  IsEntityId,
  MAX_ATTRIBUTES,
  OptionalNotNull,
} from '@fleetwave/contracts';
import { invalidParameter } from '@fleetwave/platform';

/** Most metadata entries one request may add (a target carries at most as many). */
export const MAX_METADATA_PER_REQUEST = MAX_ATTRIBUTES;

/** One target of hawkBit's create request; the same controllerId rule as for device messages. */
export class CreateTargetDto {
  @IsControllerId() controllerId!: string;
  @IsOptional() @BoundedText(FieldLengths.name) name?: string;
  @IsOptional() @BoundedText(FieldLengths.description) description?: string;
  /** A target type's id (hawkBit's MgmtTargetRequestBody.targetType); unknown ids are a 404. */
  @OptionalNotNull() @IsEntityId() targetType?: number;
}

/**
 * hawkBit's MgmtTargetRequestBody for PUT: name, description and targetType change; the
 * controllerId is the path's (a different one in the body is ignored, as in hawkBit), and the
 * connection fields (address, securityToken, group) are not kept by this system.
 */
export class UpdateTargetDto {
  @OptionalNotNull() @BoundedText(FieldLengths.name, { required: true }) name?: string;
  @IsOptional() @BoundedText(FieldLengths.description) description?: string;
  @OptionalNotNull() @IsEntityId() targetType?: number;
  @IsOptional() @BoundedText(FieldLengths.controllerId) controllerId?: string;
  @IsOptional() @IsBoolean() requestAttributes?: boolean;
}

/** `{ "id": … }` naming a target type (POST /targets/{controllerId}/targettype). */
export class TargetTypeRefDto {
  @IsEntityId() id!: number;
}

/** hawkBit's MgmtMetadata. */
export class MetadataDto {
  @BoundedText(FieldLengths.attributeKey, { required: true }) key!: string;
  @BoundedText(FieldLengths.description) value: string = '';
}

/** hawkBit's MgmtMetadataBodyPut. */
export class MetadataValueDto {
  @BoundedText(FieldLengths.description) value: string = '';
}

/** A metadata key in a path: 1..128 characters without NUL (400 otherwise). */
export class ParseMetadataKeyPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    const key = String(value);
    if (key.length === 0 || key.length > FieldLengths.attributeKey || key.includes('\u0000')) {
      throw invalidParameter(`metadataKey must have 1 to ${FieldLengths.attributeKey} characters and no NUL`);
    }
    return key;
  }
}
