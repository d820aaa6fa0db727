import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Req, UseGuards } from '@nestjs/common';
import { ParseControllerIdPipe, ParseItemsPipe } from '@fleetwave/platform';
import { callerMessage } from '../../auth/authorize';
import { ManagementApiGuard, type AuthorizedRequest } from '../../auth/management-api.guard';
import { BACKENDS, type Backends } from '../../backends';
import { renderItems, renderPage } from '../inventory-rendering';
import { renderMetadata } from './target-rendering';
import { MAX_METADATA_PER_REQUEST, MetadataDto, MetadataValueDto, ParseMetadataKeyPipe } from './targets.dto';

const controllerId = new ParseControllerIdPipe();
const metadataKey = new ParseMetadataKeyPipe();

/**
 * Operator-managed key/value metadata of a target (`/rest/v1/targets/{controllerId}/metadata…`),
 * which the target filter reads as `metadata.<key>`; served by rollout-command's `Targets`. A key
 * the target has is a 409 on create, more entries than a target may carry a 429.
 */
@UseGuards(ManagementApiGuard)
@Controller('rest/v1/targets/:controllerId/metadata')
export class TargetMetadataController {
  constructor(@Inject(BACKENDS) private readonly backends: Backends) {}

  /** Every entry, by key, as one page. */
  @Get()
  async list(@Param('controllerId', controllerId) target: string) {
    return renderPage(await this.backends.targets.call('ListMetadata', { controllerId: target }), renderMetadata);
  }

  @Get(':key')
  async get(@Param('controllerId', controllerId) target: string, @Param('key', metadataKey) key: string) {
    return renderMetadata(await this.backends.targets.call('GetMetadata', { controllerId: target, key }));
  }

  @Post()
  @HttpCode(201)
  async create(
    @Req() req: AuthorizedRequest,
    @Param('controllerId', controllerId) target: string,
    @Body(new ParseItemsPipe(MetadataDto, MAX_METADATA_PER_REQUEST)) entries: MetadataDto[],
  ) {
    const answer = await this.backends.targets.call('CreateMetadata', {
      caller: callerMessage(req.caller),
      controllerId: target,
      entries: entries.map(({ key, value }) => ({ key, value })),
    });
    return renderItems(answer, renderMetadata);
  }

  @Put(':key')
  @HttpCode(204)
  async update(
    @Req() req: AuthorizedRequest,
    @Param('controllerId', controllerId) target: string,
    @Param('key', metadataKey) key: string,
    @Body() body: MetadataValueDto,
  ): Promise<void> {
    await this.backends.targets.call('UpdateMetadata', {
      caller: callerMessage(req.caller),
      controllerId: target,
      key,
      value: body.value,
    });
  }

  @Delete(':key')
  @HttpCode(204)
  async remove(
    @Req() req: AuthorizedRequest,
    @Param('controllerId', controllerId) target: string,
    @Param('key', metadataKey) key: string,
  ): Promise<void> {
    await this.backends.targets.call('DeleteMetadata', {
      caller: callerMessage(req.caller),
      controllerId: target,
      key,
    });
  }
}
