import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  Query,
  Req,
  UseGuards,
} from '@nestjs/common';
import { ListQuery, ParseIdPipe, ParseItemsPipe } from '@fleetwave/platform';
import { callerMessage } from '../../auth/authorize';
import { ManagementApiGuard, type AuthorizedRequest } from '../../auth/management-api.guard';
import { BACKENDS, type Backends } from '../../backends';
import { listMessage } from '../../rollouts/rollout-api';
import { renderItems, renderPage } from '../inventory-rendering';
import { renderDistributionSetType } from '../repository/repository-rendering';
import { CreateTargetTypeDto, givenFields, UpdateTargetTypeDto } from './target-catalog.dto';
import { renderTargetType } from './target-catalog-rendering';

const typeId = new ParseIdPipe('TargetType');

/** A validated create item as the internal `NewTargetType`. */
const newTargetType = ({ compatibledistributionsettypes, ...type }: CreateTargetTypeDto) => ({
  ...givenFields(type),
  compatibleSetTypeIds: (compatibledistributionsettypes ?? []).map((t) => t.id),
});

/**
 * hawkBit's target types (`/rest/v1/targettypes`) with the distribution set types each is
 * compatible with, served by rollout-command's `TargetCatalog`.
 */
@UseGuards(ManagementApiGuard)
@Controller('rest/v1/targettypes')
export class TargetTypesController {
  constructor(@Inject(BACKENDS) private readonly backends: Backends) {}

  @Get()
  async list(@Query() query: ListQuery) {
    return renderPage(await this.backends.catalog.call('ListTargetTypes', listMessage(query)), renderTargetType);
  }

  @Get(':id')
  async get(@Param('id', typeId) id: number) {
    return renderTargetType(await this.backends.catalog.call('GetTargetType', { id }));
  }

  @Get(':id/compatibledistributionsettypes')
  async compatible(@Param('id', typeId) id: number) {
    return renderItems(await this.backends.catalog.call('ListCompatibleSetTypes', { id }), renderDistributionSetType);
  }

  /** An array of target types, all or nothing. */
  @Post()
  @HttpCode(201)
  async create(
    @Req() req: AuthorizedRequest,
    @Body(new ParseItemsPipe(CreateTargetTypeDto)) types: CreateTargetTypeDto[],
  ) {
    const answer = await this.backends.catalog.call('CreateTargetTypes', {
      caller: callerMessage(req.caller),
      types: types.map(newTargetType),
    });
    return renderItems(answer, renderTargetType);
  }

  @Put(':id')
  async update(@Req() req: AuthorizedRequest, @Param('id', typeId) id: number, @Body() body: UpdateTargetTypeDto) {
    const answer = await this.backends.catalog.call('UpdateTargetType', {
      caller: callerMessage(req.caller),
      id,
      ...givenFields(body),
    });
    return renderTargetType(answer);
  }

  /** A type some target still has is kept (409). */
  @Delete(':id')
  @HttpCode(204)
  async remove(@Req() req: AuthorizedRequest, @Param('id', typeId) id: number): Promise<void> {
    await this.backends.catalog.call('DeleteTargetType', { caller: callerMessage(req.caller), id });
  }
}
