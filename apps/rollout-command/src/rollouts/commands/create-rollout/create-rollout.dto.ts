import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

export class ConditionDto {
  @IsOptional() @IsIn(['THRESHOLD']) condition = 'THRESHOLD' as const;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(100) expression = 50;
}

export class SuccessActionDto {
  @IsOptional() @IsIn(['NEXTGROUP', 'PAUSE']) action: 'NEXTGROUP' | 'PAUSE' = 'NEXTGROUP';
  @IsOptional() @IsString() expression?: string;
}

export class ErrorActionDto {
  @IsOptional() @IsIn(['PAUSE']) action = 'PAUSE' as const;
  @IsOptional() @IsString() expression?: string;
}

/** hawkBit's rollout create body. Explicit `groups[]` arrive with the group-definition work. */
export class CreateRolloutDto {
  @IsString() @IsNotEmpty() @MaxLength(128) name!: string;
  @IsOptional() @IsString() @MaxLength(512) description?: string;
  @Type(() => Number) @IsInt() @Min(1) distributionSetId!: number;
  @IsString() @IsNotEmpty() targetFilterQuery!: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) amountGroups?: number;
  @IsOptional() @IsIn(['forced', 'soft', 'timeforced', 'downloadonly']) type:
    'forced' | 'soft' | 'timeforced' | 'downloadonly' = 'forced';
  @IsOptional() @IsNumber() forcetime?: number;
  @IsOptional() @IsNumber() startAt?: number;
  @IsOptional() @IsInt() @Min(0) @Max(1000) weight = 1000;
  @IsOptional() @IsBoolean() confirmationRequired = false;
  @IsOptional() @ValidateNested() @Type(() => ConditionDto) successCondition: ConditionDto = new ConditionDto();
  @IsOptional() @ValidateNested() @Type(() => SuccessActionDto) successAction: SuccessActionDto =
    new SuccessActionDto();
  @IsOptional() @ValidateNested() @Type(() => ConditionDto) errorCondition: ConditionDto = new ConditionDto();
  @IsOptional() @ValidateNested() @Type(() => ErrorActionDto) errorAction: ErrorActionDto = new ErrorActionDto();
  /** Accepted so that sending both is a clear 400 rather than silently ignored. */
  @IsOptional() groups?: unknown[];
}
