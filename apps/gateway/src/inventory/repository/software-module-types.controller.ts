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
import { CreateModuleTypeDto, moduleTypeDefinition, typeChange, UpdateTypeDto } from './repository.dto';
import { renderSoftwareModuleType } from './repository-rendering';

const typeId = new ParseIdPipe('SoftwareModuleType');

/** hawkBit's software module types (`/rest/v1/softwaremoduletypes`), served by rollout-command's `Repository`. */
@UseGuards(ManagementApiGuard)
@Controller('rest/v1/softwaremoduletypes')
export class SoftwareModuleTypesController {
  constructor(@Inject(BACKENDS) private readonly backends: Backends) {}

  @Get()
  async list(@Query() query: ListQuery) {
    return renderPage(
      await this.backends.repository.call('ListSoftwareModuleTypes', listMessage(query)),
      renderSoftwareModuleType,
    );
  }

  @Get(':id')
  async get(@Param('id', typeId) id: number) {
    return renderSoftwareModuleType(await this.backends.repository.call('GetSoftwareModuleType', { id }));
  }

  /** An array of types, all or nothing; a taken key or name is a 409. */
  @Post()
  @HttpCode(201)
  async create(
    @Req() req: AuthorizedRequest,
    @Body(new ParseItemsPipe(CreateModuleTypeDto)) types: CreateModuleTypeDto[],
  ) {
    const answer = await this.backends.repository.call('CreateSoftwareModuleTypes', {
      caller: callerMessage(req.caller),
      types: types.map(moduleTypeDefinition),
    });
    return renderItems(answer, renderSoftwareModuleType);
  }

  @Put(':id')
  async update(@Req() req: AuthorizedRequest, @Param('id', typeId) id: number, @Body() body: UpdateTypeDto) {
    const answer = await this.backends.repository.call('UpdateSoftwareModuleType', {
      caller: callerMessage(req.caller),
      id,
      ...typeChange(body),
    });
    return renderSoftwareModuleType(answer);
  }

  /** A type that modules or set types still use is kept (409). */
  @Delete(':id')
  @HttpCode(204)
  async delete(@Req() req: AuthorizedRequest, @Param('id', typeId) id: number): Promise<void> {
    await this.backends.repository.call('DeleteSoftwareModuleType', { caller: callerMessage(req.caller), id });
  }
}
