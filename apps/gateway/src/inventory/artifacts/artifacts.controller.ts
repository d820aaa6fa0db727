import { Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { Response } from 'express';
import { ParseIdPipe } from '@fleetwave/platform';
import { callerMessage } from '../../auth/authorize';
import { ManagementApiGuard, type AuthorizedRequest } from '../../auth/management-api.guard';
import { BACKENDS, type Backends } from '../../backends';
import { renderItems } from '../inventory-rendering';
import { renderArtifact } from './artifact-rendering';
import { ArtifactStreams } from './artifact-streams';
import { relayUpload } from './artifact-upload';
import { relayDownload } from './artifact-download';

/** hawkBit's limit on a provided file name. */
const MAX_FILENAME_LENGTH = 256;

/** hawkBit's upload parameters in the query string; each may come as a multipart form field instead. */
export class UploadArtifactQuery {
  @IsOptional() @IsString() @MaxLength(MAX_FILENAME_LENGTH) filename?: string;
  @IsOptional() @IsString() @MaxLength(128) md5sum?: string;
  @IsOptional() @IsString() @MaxLength(128) sha1sum?: string;
  @IsOptional() @IsString() @MaxLength(128) sha256sum?: string;
}

const moduleId = new ParseIdPipe('SoftwareModule');
const artifactId = new ParseIdPipe('Artifact');

/**
 * hawkBit's artifact resource of a software module (`/rest/v1/softwaremodules/{id}/artifacts…`):
 * upload, list, metadata, download, delete, served by rollout-command's `Artifacts`. Uploads and
 * downloads stream their bytes through, never holding them whole (see {@link relayUpload} and
 * {@link relayDownload}).
 */
@UseGuards(ManagementApiGuard)
@Controller('rest/v1/softwaremodules/:moduleId/artifacts')
export class ArtifactsController {
  constructor(
    @Inject(BACKENDS) private readonly backends: Backends,
    @Inject(ArtifactStreams) private readonly streams: ArtifactStreams,
  ) {}

  /** A multipart body with the bytes in its `file` part; answers the artifact (201). */
  @Post()
  @HttpCode(201)
  async upload(
    @Req() req: AuthorizedRequest,
    @Res({ passthrough: true }) res: Response,
    @Param('moduleId', moduleId) module: number,
    @Query() query: UploadArtifactQuery,
  ) {
    const target = { caller: callerMessage(req.caller), moduleId: module, query };
    return renderArtifact(await relayUpload(req, res, this.streams, target));
  }

  @Get()
  async list(@Param('moduleId', moduleId) module: number) {
    return renderItems(await this.backends.artifacts.call('ListArtifacts', { id: module }), renderArtifact);
  }

  @Get(':artifactId')
  async get(@Param('moduleId', moduleId) module: number, @Param('artifactId', artifactId) artifact: number) {
    return renderArtifact(
      await this.backends.artifacts.call('GetArtifact', { moduleId: module, artifactId: artifact }),
    );
  }

  /** The bytes; a single `Range` is honoured (206), as devices resume downloads. */
  @Get(':artifactId/download')
  async download(
    @Req() req: AuthorizedRequest,
    @Res() res: Response,
    @Param('moduleId', moduleId) module: number,
    @Param('artifactId', artifactId) artifact: number,
  ): Promise<void> {
    await relayDownload(req, res, this.streams, { moduleId: module, artifactId: artifact, range: req.headers.range });
  }

  @Delete(':artifactId')
  @HttpCode(204)
  async remove(
    @Req() req: AuthorizedRequest,
    @Param('moduleId', moduleId) module: number,
    @Param('artifactId', artifactId) artifact: number,
  ): Promise<void> {
    await this.backends.artifacts.call('DeleteArtifact', {
      caller: callerMessage(req.caller),
      moduleId: module,
      artifactId: artifact,
    });
  }
}
