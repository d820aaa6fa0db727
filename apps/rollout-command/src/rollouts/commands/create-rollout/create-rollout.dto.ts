import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
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
} from '@fleetwave/contracts';

/** Most deployment groups one rollout may have (hawkBit's default quota). */
export const MAX_ROLLOUT_GROUPS = 500;

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
 * hawkBit's rollout create body. Every number is an integer in its range and every string is
 * bounded and NUL-free, because the values travel on in events that every consumer stores in
 * bigint and text columns. Fields with a default may be left out but not set to null.
 * Explicit `groups[]` arrive with the group-definition work.
 */
export class CreateRolloutDto {
  @BoundedText(FieldLengths.name, { required: true }) name!: string;
  @IsOptional() @BoundedText(FieldLengths.description) description?: string;
  @IsEntityId() distributionSetId!: number;
  @BoundedText(FieldLengths.targetFilterQuery, { required: true }) targetFilterQuery!: string;
  @OptionalNotNull() @IsIntInRange(1, MAX_ROLLOUT_GROUPS) amountGroups?: number;
  @OptionalNotNull() @IsIn(['forced', 'soft', 'timeforced', 'downloadonly']) type:
    'forced' | 'soft' | 'timeforced' | 'downloadonly' = 'forced';
  @OptionalNotNull() @IsEpochMillis() forcetime?: number;
  @OptionalNotNull() @IsEpochMillis() startAt?: number;
  @OptionalNotNull() @IsIntInRange(0, 1000) weight = 1000;
  @OptionalNotNull() @IsBoolean() confirmationRequired = false;
  @OptionalNotNull() @IsObject() @ValidateNested() @Type(() => ConditionDto) successCondition: ConditionDto =
    new ConditionDto();
  @OptionalNotNull() @IsObject() @ValidateNested() @Type(() => SuccessActionDto) successAction: SuccessActionDto =
    new SuccessActionDto();
  @OptionalNotNull() @IsObject() @ValidateNested() @Type(() => ErrorConditionDto) errorCondition: ErrorConditionDto =
    new ErrorConditionDto();
  @OptionalNotNull() @IsObject() @ValidateNested() @Type(() => ErrorActionDto) errorAction: ErrorActionDto =
    new ErrorActionDto();
  /** Accepted so that sending both is a clear 400 rather than silently ignored. */
  @OptionalNotNull() @IsArray() @ArrayMaxSize(MAX_ROLLOUT_GROUPS) groups?: unknown[];
}
