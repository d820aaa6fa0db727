import type { Type } from '@nestjs/common';
import { DistributionSetTypesController } from './distribution-set-types.controller';
import { DistributionSetsController } from './distribution-sets.controller';
import { SoftwareModuleTypesController } from './software-module-types.controller';
import { SoftwareModulesController } from './software-modules.controller';

/** The repository's Management API routes: module and set types, software modules, distribution sets. */
export const repositoryControllers: Type[] = [
  SoftwareModuleTypesController,
  DistributionSetTypesController,
  SoftwareModulesController,
  DistributionSetsController,
];
