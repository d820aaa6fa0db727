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
import { ListQuery, ParseIdPipe } from '@fleetwave/platform';
import { callerMessage } from '../../auth/authorize';
import { ManagementApiGuard, type AuthorizedRequest } from '../../auth/management-api.guard';
import { BACKENDS, type Backends } from '../../backends';
import { listMessage } from '../../rollouts/rollout-api';
import { renderPage } from '../inventory-rendering';
import { CreateTargetFilterDto, givenFields, UpdateTargetFilterDto } from './target-catalog.dto';
import { renderTargetFilter } from './target-catalog-rendering';

const filterId = new ParseIdPipe('TargetFilterQuery');

/**
 * hawkBit's saved target filters (`/rest/v1/targetfilters`), served by rollout-command's
 * `TargetCatalog`, which compiles a query before it stores it (a malformed one is a 400).
 */
@UseGuards(ManagementApiGuard)
@Controller('rest/v1/targetfilters')
export class TargetFiltersController {
  constructor(@Inject(BACKENDS) private readonly backends: Backends) {}

  @Get()
  async list(@Query() query: ListQuery) {
    return renderPage(await this.backends.catalog.call('ListTargetFilters', listMessage(query)), renderTargetFilter);
  }

  @Get(':id')
  async get(@Param('id', filterId) id: number) {
    return renderTargetFilter(await this.backends.catalog.call('GetTargetFilter', { id }));
  }

  @Post()
  @HttpCode(201)
  async create(@Req() req: AuthorizedRequest, @Body() body: CreateTargetFilterDto) {
    const answer = await this.backends.catalog.call('CreateTargetFilter', {
      caller: callerMessage(req.caller),
      name: body.name,
      query: body.query,
    });
    return renderTargetFilter(answer);
  }

  @Put(':id')
  async update(@Req() req: AuthorizedRequest, @Param('id', filterId) id: number, @Body() body: UpdateTargetFilterDto) {
    const answer = await this.backends.catalog.call('UpdateTargetFilter', {
      caller: callerMessage(req.caller),
      id,
      ...givenFields(body),
    });
    return renderTargetFilter(answer);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Req() req: AuthorizedRequest, @Param('id', filterId) id: number): Promise<void> {
    await this.backends.catalog.call('DeleteTargetFilter', { caller: callerMessage(req.caller), id });
  }
}
