import { IsOptional } from 'class-validator';
import { BoundedText, FieldLengths, IsControllerId } from '@fleetwave/contracts';

/** One target of hawkBit's create request; the same controllerId rule as for device messages. */
export class CreateTargetDto {
  @IsControllerId() controllerId!: string;
  @IsOptional() @BoundedText(FieldLengths.name) name?: string;
  @IsOptional() @BoundedText(FieldLengths.description) description?: string;
}
