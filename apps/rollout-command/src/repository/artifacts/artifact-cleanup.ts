import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { ArtifactRepository } from './artifact.repository';
import type { ArtifactStore } from './artifact.store';

/** An upload's temp file untouched this long belongs to no upload in progress. */
const STALE_UPLOAD_MS = 60 * 60 * 1000;

/**
 * Removes, at start-up, what no artifact needs: temp files of uploads a crash interrupted, and
 * stored bytes no artifact references any more (a software module deleted with its artifacts;
 * an artifact delete removes its own bytes at once). A failure is logged and the service starts
 * anyway: the leftovers only take space.
 */
export class ArtifactCleanup implements OnApplicationBootstrap {
  private readonly logger = new Logger('artifacts');

  constructor(
    private readonly artifacts: ArtifactRepository,
    private readonly store: ArtifactStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      const { staleUploads, unreferenced } = await this.run();
      if (staleUploads + unreferenced > 0) {
        this.logger.log(`removed ${staleUploads} stale upload(s) and ${unreferenced} unreferenced artifact file(s)`);
      }
    } catch (error) {
      this.logger.warn(`artifact clean-up failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async run(now = Date.now()): Promise<{ staleUploads: number; unreferenced: number }> {
    const staleUploads = await this.store.removeStaleUploads(STALE_UPLOAD_MS, now);
    const unreferenced = await this.artifacts.removeUnreferenced((sha256) => this.store.remove(sha256));
    return { staleUploads, unreferenced };
  }
}
