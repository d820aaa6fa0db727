import { IsBoolean, IsOptional } from 'class-validator';
import { BoundedText, FieldLengths, IsEntityId, OptionalNotNull } from '@fleetwave/contracts';

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

/** `{ "id": … }` naming a target type (POST /targets/{id}/targettype). */
export class TargetTypeRefDto {
  @IsEntityId() id!: number;
}
