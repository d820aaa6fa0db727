import { IsOptional } from 'class-validator';
import { BoundedText, FieldLengths } from '../device/field-rules';

/** hawkBit's `PUT /rollouts/{id}` body: name and description; other fields are dropped. */
export class UpdateRolloutDto {
  @BoundedText(FieldLengths.name, { required: true }) name!: string;
  /** Left out: the description stays as it is. */
  @IsOptional() @BoundedText(FieldLengths.description) description?: string;
}
