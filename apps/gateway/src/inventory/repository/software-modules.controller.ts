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
import {
  CreateSoftwareModuleDto,
  softwareModuleChange,
  softwareModuleDefinition,
  UpdateSoftwareModuleDto,
} from './repository.dto';
import { renderSoftwareModule } from './repository-rendering';

const moduleId = new ParseIdPipe('SoftwareModule');

/**
 * hawkBit's software modules (`/rest/v1/softwaremodules`, their artifacts aside), served by
 * rollout-command's `Repository`.
 */
@UseGuards(ManagementApiGuard)
@Controller('rest/v1/softwaremodules')
export class SoftwareModulesController {
  constructor(@Inject(BACKENDS) private readonly backends: Backends) {}

  /** An array of modules, all or nothing: an unknown type is a 404, a known name+version+type a 409. */
  @Post()
  @HttpCode(201)
  async create(
    @Req() req: AuthorizedRequest,
    @Body(new ParseItemsPipe(CreateSoftwareModuleDto)) modules: CreateSoftwareModuleDto[],
  ) {
    const answer = await this.backends.repository.call('CreateSoftwareModules', {
      caller: callerMessage(req.caller),
      modules: modules.map(softwareModuleDefinition),
    });
    return renderItems(answer, renderSoftwareModule);
  }

  @Get()
  async list(@Query() query: ListQuery) {
    return renderPage(
      await this.backends.repository.call('ListSoftwareModules', listMessage(query)),
      renderSoftwareModule,
    );
  }

  @Get(':id')
  async get(@Param('id', moduleId) id: number) {
    return renderSoftwareModule(await this.backends.repository.call('GetSoftwareModule', { id }));
  }

  @Put(':id')
  async update(
    @Req() req: AuthorizedRequest,
    @Param('id', moduleId) id: number,
    @Body() body: UpdateSoftwareModuleDto,
  ) {
    const answer = await this.backends.repository.call('UpdateSoftwareModule', {
      caller: callerMessage(req.caller),
      id,
      ...softwareModuleChange(body),
    });
    return renderSoftwareModule(answer);
  }

  /** A module some distribution set holds stays readable as deleted; any other is removed. */
  @Delete(':id')
  @HttpCode(204)
  async delete(@Req() req: AuthorizedRequest, @Param('id', moduleId) id: number): Promise<void> {
    await this.backends.repository.call('DeleteSoftwareModule', { caller: callerMessage(req.caller), id });
  }
}
