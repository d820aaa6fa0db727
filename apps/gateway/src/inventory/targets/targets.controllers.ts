import type { Type } from '@nestjs/common';
import { DeployGroupTargetsController } from './deploy-group-targets.controller';
import { TargetMetadataController } from './target-metadata.controller';
import { TargetsController } from './targets.controller';

/** The targets' Management API routes: targets, their metadata and a deploy group's targets. */
export const targetsControllers: Type[] = [TargetsController, TargetMetadataController, DeployGroupTargetsController];
