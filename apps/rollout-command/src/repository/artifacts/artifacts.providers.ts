import type { Provider } from '@nestjs/common';
import type { Pool } from 'pg';
import { DATABASE_POOL } from '../../shared/tokens';
import { INVENTORY_SCHEMA } from '../../inventory/inventory.migration';
import { ARTIFACT_SETTINGS, readArtifactSettings, type ArtifactSettings } from './artifact-settings';
import { ArtifactStore } from './artifact.store';
import { ArtifactRepository } from './artifact.repository';
import { Artifacts } from './artifacts.service';
import { ArtifactCleanup } from './artifact-cleanup';

/** Artifact storage and its settings, the start-up clean-up, and the {@link Artifacts} handler. */
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
  Artifacts,
];
