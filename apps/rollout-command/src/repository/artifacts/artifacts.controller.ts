import { Controller, Delete, Get, Headers, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { Request, Response } from 'express';
import { ParseIdPipe } from '@fleetwave/platform';
import { mismatchedHash, providedFilename, MAX_FILENAME_LENGTH } from './domain/artifact-rules';
import { ARTIFACT_SETTINGS, type ArtifactSettings } from './artifact-settings';
import { ArtifactStore } from './artifact.store';
import { ArtifactRepository } from './artifact.repository';
import { checksumMismatch, fileSizeExceeded, uploadFailed } from './artifact-errors';
import { receiveUpload } from './multipart-upload';
import { sendArtifact } from './artifact-download';
import { toArtifactView } from './artifact.views';

/** hawkBit's upload parameters; each may also come as a multipart form field. */
export class UploadArtifactQuery {
  @IsOptional() @IsString() @MaxLength(MAX_FILENAME_LENGTH) filename?: string;
  @IsOptional() @IsString() @MaxLength(128) md5sum?: string;
  @IsOptional() @IsString() @MaxLength(128) sha1sum?: string;
  @IsOptional() @IsString() @MaxLength(128) sha256sum?: string;
}

/** Room for the multipart framing around a file of the largest allowed size. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/** hawkBit's artifact resource of a software module: upload, list, metadata, download, delete. */
@Controller('rest/v1/softwaremodules/:moduleId/artifacts')
export class ArtifactsController {
  constructor(
    private readonly artifacts: ArtifactRepository,
    private readonly store: ArtifactStore,
    @Inject(ARTIFACT_SETTINGS) private readonly settings: ArtifactSettings,
  ) {}

  /**
   * Streams the `file` part to disk while hashing it, checks the given checksums, then records the
   * artifact and moves the bytes to their content address. An upload to a module that cannot take
   * it, or a body plainly larger than the size quota, is refused without storing anything (see
   * {@link refusedBeforeBody}).
   */
  @Post()
  @HttpCode(201)
  async upload(
    @Param('moduleId', new ParseIdPipe('SoftwareModule')) moduleId: number,
    @Query() query: UploadArtifactQuery,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Headers('x-fleetwave-user') user = 'system',
  ) {
    const max = this.settings.maxArtifactBytes;
    const announcedTooLarge = Number(req.headers['content-length'] ?? 0) > max + MULTIPART_OVERHEAD_BYTES;
    try {
      await this.artifacts.assertWritable(moduleId);
      if (announcedTooLarge) throw fileSizeExceeded(max);
    } catch (error) {
      await refusedBeforeBody(req, res, announcedTooLarge);
      throw error;
    }
    const received = await receiveUpload(req, this.store, max);
    const staged = received.staged;
    if (!staged) throw uploadFailed('the multipart body has no part named "file"');
    let kept = false;
    try {
      if (received.truncated) throw fileSizeExceeded(max);
      if (staged.size === 0) throw uploadFailed('the uploaded file is empty');
      const mismatch = mismatchedHash(
        {
          md5: query.md5sum ?? received.fields.md5sum,
          sha1: query.sha1sum ?? received.fields.sha1sum,
          sha256: query.sha256sum ?? received.fields.sha256sum,
        },
        staged.hashes,
      );
      if (mismatch) throw checksumMismatch(mismatch);
      const filename = providedFilename(query.filename ?? received.fields.filename, received.partFilename);
      if (!filename) {
        throw uploadFailed(
          `a file name of 1 to ${MAX_FILENAME_LENGTH} characters without control characters is needed`,
        );
      }
      const row = await this.artifacts.record({ moduleId, filename, staged, user }, this.settings, async () => {
        await this.store.keep(staged);
        kept = true;
      });
      return toArtifactView(row);
    } finally {
      if (!kept) await this.store.discard(staged);
    }
  }

  @Get()
  async list(@Param('moduleId', new ParseIdPipe('SoftwareModule')) moduleId: number) {
    return (await this.artifacts.list(moduleId)).map(toArtifactView);
  }

  @Get(':artifactId')
  async get(
    @Param('moduleId', new ParseIdPipe('SoftwareModule')) moduleId: number,
    @Param('artifactId', new ParseIdPipe('Artifact')) artifactId: number,
  ) {
    return toArtifactView(await this.artifacts.get(moduleId, artifactId));
  }

  /** The bytes, streamed from disk; a single `Range` is honoured (206), as devices resume downloads. */
  @Get(':artifactId/download')
  async download(
    @Param('moduleId', new ParseIdPipe('SoftwareModule')) moduleId: number,
    @Param('artifactId', new ParseIdPipe('Artifact')) artifactId: number,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const row = await this.artifacts.get(moduleId, artifactId);
    await sendArtifact(this.store, row, req, res);
  }

  @Delete(':artifactId')
  @HttpCode(204)
  async remove(
    @Param('moduleId', new ParseIdPipe('SoftwareModule')) moduleId: number,
    @Param('artifactId', new ParseIdPipe('Artifact')) artifactId: number,
  ): Promise<void> {
    await this.artifacts.delete(moduleId, artifactId, (sha256) => this.store.remove(sha256));
  }
}

/** How long the rest of a refused body is read before the answer, at the most. */
const DRAIN_MS = 10_000;

/**
 * An upload refused before its body was read. A body larger than the quota ends the connection
 * after the answer (the client should stop sending it). Any other is read and dropped first, for
 * at most {@link DRAIN_MS}, and answered then. A connection closed with the client's bytes
 * unread is reset, and the reset can reach the client before it has read the answer (a proxy
 * then sees a broken pipe, not the 404); and Node does not read an unread body after the answer.
 */
async function refusedBeforeBody(req: Request, res: Response, tooLarge: boolean): Promise<void> {
  if (!tooLarge && !req.complete) {
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(done, DRAIN_MS);
      req.once('end', done);
      req.once('close', done);
      req.resume();
    });
  }
  if (tooLarge || !req.complete) res.setHeader('connection', 'close');
}
