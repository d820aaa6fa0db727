import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsObject, IsOptional, ValidateNested } from 'class-validator';
import { BoundedText, FieldLengths, IsEntityId, IsIntInRange, OptionalNotNull } from '@fleetwave/contracts';

/** Most software modules one distribution set may hold (and one assignedSM request may add). */
export const MAX_MODULES_PER_SET = 100;
/** Most module types one distribution set type may list as mandatory, and as optional. */
export const MAX_MODULE_TYPES = 50;
const MAX_INT = 2_147_483_647;

/** A reference to an entity by its id (`{ "id": 3 }`), as hawkBit's bodies name modules and types. */
export class ModuleRefDto {
  @IsEntityId() id!: number;
}

/** An optional array of at most `max` {@link ModuleRefDto}s. */
const ModuleRefs = (max: number) => (target: object, property: string) => {
  for (const decorate of [
    IsOptional(),
    IsArray(),
    ArrayMaxSize(max),
    IsObject({ each: true }),
    ValidateNested({ each: true }),
    Type(() => ModuleRefDto),
  ]) {
    decorate(target, property);
  }
};

/** hawkBit's MgmtSoftwareModuleTypeRequestBodyPost. */
export class CreateModuleTypeDto {
  @BoundedText(FieldLengths.type, { required: true }) key!: string;
  @BoundedText(FieldLengths.name, { required: true }) name!: string;
  @IsOptional() @BoundedText(FieldLengths.description) description?: string;
  @IsOptional() @BoundedText(FieldLengths.type) colour?: string;
  @IsIntInRange(1, MAX_INT) maxAssignments!: number;
  @IsOptional() @IsIntInRange(0, MAX_INT) minArtifacts?: number;
}

/** hawkBit's MgmtSoftwareModuleTypeRequestBodyPut and MgmtDistributionSetTypeRequestBodyPut. */
export class UpdateTypeDto {
  @IsOptional() @BoundedText(FieldLengths.description) description?: string;
  @IsOptional() @BoundedText(FieldLengths.type) colour?: string;
}

/** hawkBit's MgmtDistributionSetTypeRequestBodyPost. */
export class CreateSetTypeDto {
  @BoundedText(FieldLengths.type, { required: true }) key!: string;
  @BoundedText(FieldLengths.name, { required: true }) name!: string;
  @IsOptional() @BoundedText(FieldLengths.description) description?: string;
  @IsOptional() @BoundedText(FieldLengths.type) colour?: string;
  @ModuleRefs(MAX_MODULE_TYPES) mandatorymodules?: ModuleRefDto[];
  @ModuleRefs(MAX_MODULE_TYPES) optionalmodules?: ModuleRefDto[];
}

/** hawkBit's MgmtSoftwareModuleRequestBodyPost. */
export class CreateSoftwareModuleDto {
  @BoundedText(FieldLengths.name, { required: true }) name!: string;
  @BoundedText(FieldLengths.version, { required: true }) version!: string;
  @BoundedText(FieldLengths.type, { required: true }) type!: string;
  @IsOptional() @BoundedText(FieldLengths.vendor) vendor?: string;
  @IsOptional() @BoundedText(FieldLengths.description) description?: string;
  /** Accepted as hawkBit does; modules are never encrypted here. */
  @IsOptional() @IsBoolean() encrypted?: boolean;
}

/** hawkBit's MgmtSoftwareModuleRequestBodyPut. */
export class UpdateSoftwareModuleDto {
  @IsOptional() @BoundedText(FieldLengths.vendor) vendor?: string;
  @IsOptional() @BoundedText(FieldLengths.description) description?: string;
  @IsOptional() @IsBoolean() locked?: boolean;
}

/** hawkBit's MgmtDistributionSetRequestBodyPost. */
export class CreateDistributionSetDto {
  @BoundedText(FieldLengths.name, { required: true }) name!: string;
  @BoundedText(FieldLengths.version, { required: true }) version!: string;
  @IsOptional() @BoundedText(FieldLengths.type) type?: string;
  @IsOptional() @BoundedText(FieldLengths.description) description?: string;
  @IsOptional() @IsBoolean() locked?: boolean;
  @IsOptional() @IsBoolean() requiredMigrationStep?: boolean;
  @ModuleRefs(MAX_MODULES_PER_SET) modules?: ModuleRefDto[];
}

/** hawkBit's MgmtDistributionSetRequestBodyPut. */
export class UpdateDistributionSetDto {
  @OptionalNotNull() @BoundedText(FieldLengths.name, { required: true }) name?: string;
  @OptionalNotNull() @BoundedText(FieldLengths.version, { required: true }) version?: string;
  @IsOptional() @BoundedText(FieldLengths.description) description?: string;
  @IsOptional() @IsBoolean() locked?: boolean;
  @IsOptional() @IsBoolean() requiredMigrationStep?: boolean;
}

const ids = (refs: ModuleRefDto[] | undefined) => (refs ?? []).map((ref) => ref.id);

/** A validated create item as the internal `SoftwareModuleTypeDefinition`. */
export const moduleTypeDefinition = (dto: CreateModuleTypeDto) => ({
  key: dto.key,
  name: dto.name,
  description: dto.description,
  colour: dto.colour,
  maxAssignments: dto.maxAssignments,
  minArtifacts: dto.minArtifacts,
});

/** A validated create item as the internal `DistributionSetTypeDefinition`. */
export const setTypeDefinition = (dto: CreateSetTypeDto) => ({
  key: dto.key,
  name: dto.name,
  description: dto.description,
  colour: dto.colour,
  mandatoryModuleTypeIds: ids(dto.mandatorymodules),
  optionalModuleTypeIds: ids(dto.optionalmodules),
});

/** A validated create item as the internal `SoftwareModuleDefinition`. */
export const softwareModuleDefinition = (dto: CreateSoftwareModuleDto) => ({
  name: dto.name,
  version: dto.version,
  type: dto.type,
  vendor: dto.vendor,
  description: dto.description,
});

/** A validated create item as the internal `DistributionSetDefinition`. */
export const distributionSetDefinition = (dto: CreateDistributionSetDto) => ({
  name: dto.name,
  version: dto.version,
  type: dto.type,
  description: dto.description,
  locked: dto.locked,
  requiredMigrationStep: dto.requiredMigrationStep,
  moduleIds: ids(dto.modules),
});

/** The change of a PUT body; absent (or null) fields stay as they are. */
export const typeChange = (dto: UpdateTypeDto) => ({ description: dto.description, colour: dto.colour });

export const softwareModuleChange = (dto: UpdateSoftwareModuleDto) => ({
  vendor: dto.vendor,
  description: dto.description,
  locked: dto.locked,
});

export const distributionSetChange = (dto: UpdateDistributionSetDto) => ({
  name: dto.name,
  version: dto.version,
  description: dto.description,
  locked: dto.locked,
  requiredMigrationStep: dto.requiredMigrationStep,
});
