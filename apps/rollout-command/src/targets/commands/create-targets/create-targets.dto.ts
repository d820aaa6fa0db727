import { IsOptional } from 'class-validator';
import { BoundedText, FieldLengths, IsControllerId, IsEntityId, OptionalNotNull } from '@fleetwave/contracts';

/** One target of hawkBit's create request; the same controllerId rule as for device messages. */
export class CreateTargetDto {
  @IsControllerId() controllerId!: string;
  @IsOptional() @BoundedText(FieldLengths.name) name?: string;
  @IsOptional() @BoundedText(FieldLengths.description) description?: string;
  /** A target type's id (hawkBit's MgmtTargetRequestBody.targetType); unknown ids are a 404. */
  @OptionalNotNull() @IsEntityId() targetType?: number;
}
