import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsObject, IsOptional, ValidateNested } from 'class-validator';
import { BoundedText, FieldLengths, IsEntityId, OptionalNotNull } from '@fleetwave/contracts';
import { constraintViolation, ParseControllerIdPipe } from '@fleetwave/platform';

/** Most distribution set types one target type may name as compatible. */
export const MAX_COMPATIBLE_SET_TYPES = 100;
/** Most controllerIds one tag assignment request may name. */
export const MAX_ASSIGNED_PER_REQUEST = 10_000;

/** hawkBit's MgmtDistributionSetTypeAssignment: a set type by its id. */
export class SetTypeRefDto {
  @IsEntityId() id!: number;
}

/** hawkBit's MgmtTargetTypeRequestBodyPost; the key defaults to the name. */
export class CreateTargetTypeDto {
  @BoundedText(FieldLengths.name, { required: true }) name!: string;
  @IsOptional() @BoundedText(FieldLengths.type) key?: string;
  @IsOptional() @BoundedText(FieldLengths.description) description?: string;
  @IsOptional() @BoundedText(FieldLengths.type) colour?: string;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_COMPATIBLE_SET_TYPES)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => SetTypeRefDto)
  compatibledistributionsettypes?: SetTypeRefDto[];
}

/** hawkBit's MgmtTargetTypeRequestBodyPut: each field left out stays as it is. */
export class UpdateTargetTypeDto {
  @OptionalNotNull() @BoundedText(FieldLengths.name, { required: true }) name?: string;
  @IsOptional() @BoundedText(FieldLengths.description) description?: string;
  @IsOptional() @BoundedText(FieldLengths.type) colour?: string;
}

/** hawkBit's MgmtTagRequestBodyPut (a change: each field left out stays as it is). */
export class TagDto {
  @OptionalNotNull() @BoundedText(FieldLengths.name, { required: true }) name?: string;
  @IsOptional() @BoundedText(FieldLengths.description) description?: string;
  @IsOptional() @BoundedText(FieldLengths.type) colour?: string;
}

/** The items of hawkBit's tag create request (MgmtTagRequestBodyPut): a new tag needs its name. */
export class NewTagDto {
  @BoundedText(FieldLengths.name, { required: true }) name!: string;
  @IsOptional() @BoundedText(FieldLengths.description) description?: string;
  @IsOptional() @BoundedText(FieldLengths.type) colour?: string;
}

/** hawkBit's choice for controllerIds an assignment names that no target has (FAIL when absent). */
export class AssignmentPolicyQuery {
  @IsOptional() @IsIn(['FAIL', 'ON_WHAT_FOUND_AND_FAIL', 'ON_WHAT_FOUND_AND_SUCCESS']) onNotFoundPolicy?: string;
}

/** hawkBit's MgmtTargetFilterQueryRequestBody; both fields are required on create. */
export class CreateTargetFilterDto {
  @BoundedText(FieldLengths.name, { required: true }) name!: string;
  @BoundedText(FieldLengths.targetFilterQuery, { required: true }) query!: string;
}

/** A change of a saved filter: each field left out stays as it is. */
export class UpdateTargetFilterDto {
  @OptionalNotNull() @BoundedText(FieldLengths.name, { required: true }) name?: string;
  @OptionalNotNull() @BoundedText(FieldLengths.targetFilterQuery, { required: true }) query?: string;
}

const controllerIdPipe = new ParseControllerIdPipe();

/**
 * The controllerIds of a tag assignment body, a JSON array of at most
 * {@link MAX_ASSIGNED_PER_REQUEST} controllerId strings (else a 400), each named once.
 */
export function controllerIdsOf(body: unknown): string[] {
  if (!Array.isArray(body) || body.length > MAX_ASSIGNED_PER_REQUEST) {
    throw constraintViolation(`request body must be a JSON array of at most ${MAX_ASSIGNED_PER_REQUEST} controllerIds`);
  }
  const ids = body.map((id: unknown, index) => {
    if (typeof id !== 'string') throw constraintViolation(`[${index}] must be a controllerId string`);
    return controllerIdPipe.transform(id);
  });
  return [...new Set(ids)];
}

/** The fields a validated body gave, as an internal message takes them (a field left out is absent). */
export const givenFields = <T extends object>(body: T): Partial<T> =>
  Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined)) as Partial<T>;
