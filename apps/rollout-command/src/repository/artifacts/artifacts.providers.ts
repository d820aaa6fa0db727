import type { Provider, Type } from '@nestjs/common';
import type { Pool } from 'pg';
import { multipartRoute, STREAMED_BODIES } from '@fleetwave/platform';
import { DATABASE_POOL } from '../../shared/tokens';
import { INVENTORY_SCHEMA } from '../../inventory/inventory.migration';
import { ARTIFACT_SETTINGS, readArtifactSettings, type ArtifactSettings } from './artifact-settings';
import { ArtifactStore } from './artifact.store';
import { ArtifactRepository } from './artifact.repository';
import { ArtifactsController } from './artifacts.controller';
import { ArtifactCleanup } from './artifact-cleanup';

/** The upload route, whose multipart body the controller streams itself. */
export const artifactUploadRoute = multipartRoute('POST', /^\/rest\/v1\/softwaremodules\/\d+\/artifacts\/?$/);

export const artifactControllers: Type[] = [ArtifactsController];

export const artifactProviders: Provider[] = [
  // Read once when the application is built; an invalid value fails the start.
  { provide: ARTIFACT_SETTINGS, useFactory: () => readArtifactSettings(process.env) },
  {
    provide: ArtifactStore,
    useFactory: (settings: ArtifactSettings) => new ArtifactStore(settings.directory),
    inject: [ARTIFACT_SETTINGS],
  },
  {
    provide: ArtifactRepository,
    useFactory: (pool: Pool) => new ArtifactRepository(pool, INVENTORY_SCHEMA),
    inject: [DATABASE_POOL],
  },
  {
    provide: ArtifactCleanup,
    useFactory: (artifacts: ArtifactRepository, store: ArtifactStore) => new ArtifactCleanup(artifacts, store),
    inject: [ArtifactRepository, ArtifactStore],
  },
  { provide: STREAMED_BODIES, useValue: [artifactUploadRoute] },
];
