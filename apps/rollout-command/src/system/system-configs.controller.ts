import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Put } from '@nestjs/common';
import { renderSystemConfig, renderSystemConfigs, settingsOf, SystemConfigValueDto } from '@fleetwave/contracts';
import { SystemConfigs } from './system-configs.service';

/**
 * REST adapter of the tenant settings (`/rest/v1/system/configs`), inside the cluster: the
 * gateway reaches them over the internal gRPC API (system-configs.grpc.ts).
 */
@Controller('rest/v1/system/configs')
export class SystemConfigsController {
  constructor(@Inject(SystemConfigs) private readonly configs: SystemConfigs) {}

  @Get()
  async list() {
    return renderSystemConfigs(await this.configs.list());
  }

  /** hawkBit's batch update, all or nothing; answers every setting, as the list does. */
  @Put()
  async putAll(@Body() body: unknown, @Headers('x-fleetwave-user') user = 'system') {
    return renderSystemConfigs(await this.configs.setAll(settingsOf(body), user));
  }

  @Get(':key')
  async get(@Param('key') key: string) {
    return renderSystemConfig(await this.configs.get(key));
  }

  @Put(':key')
  async put(
    @Param('key') key: string,
    @Body() body: SystemConfigValueDto,
    @Headers('x-fleetwave-user') user = 'system',
  ) {
    return renderSystemConfig(await this.configs.set(key, body.value, user));
  }

  @Delete(':key')
  @HttpCode(204)
  async reset(@Param('key') key: string): Promise<void> {
    await this.configs.reset(key);
  }
}
