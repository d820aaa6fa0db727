import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Put, Req, UseGuards } from '@nestjs/common';
import {
  fromConfigEntryMessage,
  renderSystemConfig,
  renderSystemConfigs,
  settingsOf,
  SystemConfigValueDto,
} from '@fleetwave/contracts';
import type { InternalClient } from '@fleetwave/platform';
import { callerMessage } from '../auth/authorize';
import { ManagementApiGuard, type AuthorizedRequest } from '../auth/management-api.guard';

/** The internal `SystemConfigs` service of rollout-command, which owns the settings. */
export const SYSTEM_CONFIGS = Symbol('SYSTEM_CONFIGS');

const valueOf = (key: string, value: unknown) => ({ key, valueJson: JSON.stringify(value) });
const entries = (answer: Record<string, unknown>) =>
  ((answer.entries ?? []) as Record<string, unknown>[]).map(fromConfigEntryMessage);

/**
 * hawkBit's tenant settings (`/rest/v1/system/configs`): shapes here, each route one handler of
 * rollout-command's `SystemConfigs`, reached over the internal gRPC API. A change takes effect at
 * once, without a restart; DELETE puts a setting back to its default.
 */
@UseGuards(ManagementApiGuard)
@Controller('rest/v1/system/configs')
export class SystemConfigsController {
  constructor(@Inject(SYSTEM_CONFIGS) private readonly configs: InternalClient) {}

  @Get()
  async list() {
    return renderSystemConfigs(entries(await this.configs.call('ListConfigs', {})));
  }

  /** hawkBit's batch update, `{ "<key>": <value>, … }`: all or nothing; answers every setting. */
  @Put()
  async putAll(@Req() req: AuthorizedRequest, @Body() body: unknown) {
    const values = settingsOf(body).map(([key, value]) => valueOf(key, value));
    return renderSystemConfigs(
      entries(await this.configs.call('SetConfigs', { caller: callerMessage(req.caller), values })),
    );
  }

  @Get(':key')
  async get(@Param('key') key: string) {
    return renderSystemConfig(fromConfigEntryMessage(await this.configs.call('GetConfig', { key })));
  }

  @Put(':key')
  async put(@Req() req: AuthorizedRequest, @Param('key') key: string, @Body() body: SystemConfigValueDto) {
    const answer = await this.configs.call('SetConfig', {
      caller: callerMessage(req.caller),
      value: valueOf(key, body.value),
    });
    return renderSystemConfig(fromConfigEntryMessage(answer));
  }

  @Delete(':key')
  @HttpCode(204)
  async reset(@Req() req: AuthorizedRequest, @Param('key') key: string): Promise<void> {
    await this.configs.call('ResetConfig', { caller: callerMessage(req.caller), key });
  }
}
