import type { Type } from '@nestjs/common';
import { TargetFiltersController } from './target-filters.controller';
import { TargetTagsController } from './target-tags.controller';
import { TargetTypesController } from './target-types.controller';

/** The target catalog's Management API routes: target types, target tags and saved target filters. */
export const targetCatalogControllers: Type[] = [TargetTypesController, TargetTagsController, TargetFiltersController];
