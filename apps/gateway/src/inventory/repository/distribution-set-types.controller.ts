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
import { CreateSetTypeDto, setTypeDefinition, typeChange, UpdateTypeDto } from './repository.dto';
import { renderDistributionSetType, renderSoftwareModuleType } from './repository-rendering';

const typeId = new ParseIdPipe('DistributionSetType');

/**
 * hawkBit's distribution set types (`/rest/v1/distributionsettypes`) with their mandatory and
 * optional module types, served by rollout-command's `Repository`.
 */
@UseGuards(ManagementApiGuard)
@Controller('rest/v1/distributionsettypes')
export class DistributionSetTypesController {
  constructor(@Inject(BACKENDS) private readonly backends: Backends) {}

  @Get()
  async list(@Query() query: ListQuery) {
    return renderPage(
      await this.backends.repository.call('ListDistributionSetTypes', listMessage(query)),
      renderDistributionSetType,
    );
  }

  @Get(':id')
  async get(@Param('id', typeId) id: number) {
    return renderDistributionSetType(await this.backends.repository.call('GetDistributionSetType', { id }));
  }

  @Get(':id/mandatorymoduletypes')
  async mandatory(@Param('id', typeId) id: number) {
    return renderItems(
      await this.backends.repository.call('ListMandatoryModuleTypes', { id }),
      renderSoftwareModuleType,
    );
  }

  @Get(':id/optionalmoduletypes')
  async optional(@Param('id', typeId) id: number) {
    return renderItems(
      await this.backends.repository.call('ListOptionalModuleTypes', { id }),
      renderSoftwareModuleType,
    );
  }

  /** An array of set types with their module types, all or nothing; unknown module types are a 404. */
  @Post()
  @HttpCode(201)
  async create(@Req() req: AuthorizedRequest, @Body(new ParseItemsPipe(CreateSetTypeDto)) types: CreateSetTypeDto[]) {
    const answer = await this.backends.repository.call('CreateDistributionSetTypes', {
      caller: callerMessage(req.caller),
      types: types.map(setTypeDefinition),
    });
    return renderItems(answer, renderDistributionSetType);
  }

  @Put(':id')
  async update(@Req() req: AuthorizedRequest, @Param('id', typeId) id: number, @Body() body: UpdateTypeDto) {
    const answer = await this.backends.repository.call('UpdateDistributionSetType', {
      caller: callerMessage(req.caller),
      id,
      ...typeChange(body),
    });
    return renderDistributionSetType(answer);
  }

  /** A type that sets or target types still use is kept (409). */
  @Delete(':id')
  @HttpCode(204)
  async delete(@Req() req: AuthorizedRequest, @Param('id', typeId) id: number): Promise<void> {
    await this.backends.repository.call('DeleteDistributionSetType', { caller: callerMessage(req.caller), id });
  }
}
