// class-transformer's @Type reads design types: the metadata API must exist wherever this module loads.
import 'reflect-metadata';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsNumber,
  IsObject,
  IsOptional,
  Max,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import {
  BoundedText,
  FieldLengths,
  IsEntityId,
  IsEpochMillis,
  IsIntInRange,
  OptionalNotNull,
} from '../device/field-rules';

/**
 * The most groups a body may name at all. The quota (500 by default, configurable) is checked by
 * the command and answered with 429; this bound only keeps absurd numbers out of id allocation.
 */
export const MAX_GROUPS_IN_REQUEST = 10_000;

/** hawkBit clients send a threshold as a string ("50") or a number; only digit strings are converted. */
const digitsToNumber = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d{1,3}$/.test(value) ? Number(value) : value;

/** Most errors an ERROR_COUNT condition may name: the largest 32-bit integer, as hawkBit stores it. */
export const MAX_ERROR_COUNT = 2 ** 31 - 1;

const countDigitsToNumber = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : value;

/** The expression's range follows the condition: a percentage for THRESHOLD, a device count for ERROR_COUNT. */
const IsErrorExpression = () =>
  ValidateBy({
    name: 'isErrorExpression',
    validator: {
      validate: (value, args) => {
        const max = (args?.object as { condition?: unknown }).condition === 'ERROR_COUNT' ? MAX_ERROR_COUNT : 100;
        return Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= max;
      },
      defaultMessage: (args) =>
        (args?.object as { condition?: unknown }).condition === 'ERROR_COUNT'
          ? `${args?.property} must be an integer from 0 to ${MAX_ERROR_COUNT} for ERROR_COUNT`
          : `${args?.property} must be an integer from 0 to 100`,
    },
  });

export class ConditionDto {
  @OptionalNotNull() @IsIn(['THRESHOLD']) condition = 'THRESHOLD' as const;
  /** A percentage 0..100. */
  @OptionalNotNull() @Transform(digitsToNumber) @IsIntInRange(0, 100) expression = 50;
}

export class ErrorConditionDto {
  @OptionalNotNull() @IsIn(['THRESHOLD', 'ERROR_COUNT']) condition: 'THRESHOLD' | 'ERROR_COUNT' = 'THRESHOLD';
  /** A percentage 0..100 (THRESHOLD) or a number of devices (ERROR_COUNT); errors beyond it put the group in error. */
  @OptionalNotNull() @Transform(countDigitsToNumber) @IsErrorExpression() expression = 50;
}

export class SuccessActionDto {
  @OptionalNotNull() @IsIn(['NEXTGROUP', 'PAUSE']) action: 'NEXTGROUP' | 'PAUSE' = 'NEXTGROUP';
  @IsOptional() @BoundedText(FieldLengths.description) expression?: string;
}

export class ErrorActionDto {
  @OptionalNotNull() @IsIn(['PAUSE']) action = 'PAUSE' as const;
  @IsOptional() @BoundedText(FieldLengths.description) expression?: string;
}

/**
 * One entry of an explicit `groups[]`. Conditions, actions and confirmationRequired left out
 * fall back to the rollout's; a group without a filter takes from the rollout's targets alone.
 */
export class RolloutGroupDto {
  @BoundedText(FieldLengths.name, { required: true }) name!: string;
  @IsOptional() @BoundedText(FieldLengths.description) description?: string;
  @IsOptional() @BoundedText(FieldLengths.targetFilterQuery) targetFilterQuery?: string;
  /** hawkBit takes a float; 1..100 percent of the remaining matching targets. */
  @OptionalNotNull()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'targetPercentage must be a number from 1 to 100' })
  @Min(1, { message: 'targetPercentage must be a number from 1 to 100' })
  @Max(100, { message: 'targetPercentage must be a number from 1 to 100' })
  targetPercentage = 100;
  @OptionalNotNull() @IsBoolean() confirmationRequired?: boolean;
  @OptionalNotNull() @IsObject() @ValidateNested() @Type(() => ConditionDto) successCondition?: ConditionDto;
  @OptionalNotNull() @IsObject() @ValidateNested() @Type(() => SuccessActionDto) successAction?: SuccessActionDto;
  @OptionalNotNull() @IsObject() @ValidateNested() @Type(() => ErrorConditionDto) errorCondition?: ErrorConditionDto;
  @OptionalNotNull() @IsObject() @ValidateNested() @Type(() => ErrorActionDto) errorAction?: ErrorActionDto;
}

/** Room left in a group name after the suffix, for `-<n>` of the n-th dynamic group. */
const DYNAMIC_NAME_ROOM = 16;

/** hawkBit's `dynamicGroupTemplate`: every dynamic group takes `targetCount` targets; its name ends in `nameSuffix`. */
export class DynamicGroupTemplateDto {
  @OptionalNotNull() @BoundedText(FieldLengths.name - DYNAMIC_NAME_ROOM) nameSuffix = '';
  /** At least 1; more than the per-group quota is a 429, checked by the command. */
  @IsIntInRange(1, Number.MAX_SAFE_INTEGER) targetCount!: number;
}

/**
 * hawkBit's rollout create body. Every number is an integer in its range and every string is
 * bounded and NUL-free, because the values travel on in events that every consumer stores in
 * bigint and text columns. Fields with a default may be left out but not set to null.
 * Either `amountGroups` or `groups[]`; how many groups is a quota the command checks (429).
 */
export class CreateRolloutDto {
  @BoundedText(FieldLengths.name, { required: true }) name!: string;
  @IsOptional() @BoundedText(FieldLengths.description) description?: string;
  @IsEntityId() distributionSetId!: number;
  @BoundedText(FieldLengths.targetFilterQuery, { required: true }) targetFilterQuery!: string;
  @OptionalNotNull() @IsIntInRange(1, MAX_GROUPS_IN_REQUEST) amountGroups?: number;
  @OptionalNotNull() @IsIn(['forced', 'soft', 'timeforced', 'downloadonly']) type:
    'forced' | 'soft' | 'timeforced' | 'downloadonly' = 'forced';
  @OptionalNotNull() @IsEpochMillis() forcetime?: number;
  @OptionalNotNull() @IsEpochMillis() startAt?: number;
  @OptionalNotNull() @IsIntInRange(0, 1000) weight = 1000;
  @OptionalNotNull() @IsBoolean() confirmationRequired = false;
  /** A dynamic rollout keeps taking in matching targets after its static groups (needs dynamicGroupTemplate). */
  @OptionalNotNull() @IsBoolean() dynamic = false;
  @OptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => DynamicGroupTemplateDto)
  dynamicGroupTemplate?: DynamicGroupTemplateDto;
  @OptionalNotNull() @IsObject() @ValidateNested() @Type(() => ConditionDto) successCondition: ConditionDto =
    new ConditionDto();
  @OptionalNotNull() @IsObject() @ValidateNested() @Type(() => SuccessActionDto) successAction: SuccessActionDto =
    new SuccessActionDto();
  @OptionalNotNull() @IsObject() @ValidateNested() @Type(() => ErrorConditionDto) errorCondition: ErrorConditionDto =
    new ErrorConditionDto();
  @OptionalNotNull() @IsObject() @ValidateNested() @Type(() => ErrorActionDto) errorAction: ErrorActionDto =
    new ErrorActionDto();
  @OptionalNotNull()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(MAX_GROUPS_IN_REQUEST)
  @ValidateNested({ each: true })
  @IsObject({ each: true })
  @Type(() => RolloutGroupDto)
  groups?: RolloutGroupDto[];
}
