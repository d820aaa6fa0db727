import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Put } from '@nestjs/common';
import { IsDefined } from 'class-validator';
import type { Pool } from 'pg';
import { ApplicationError } from '../shared/application-error';
import { DATABASE_POOL } from '../shared/tokens';
import { withTransaction } from '@fleetwave/platform';
import {
  fitsKey,
  isSystemConfigKey,
  systemConfigKeys,
  type SystemConfigKey,
  type SystemConfigValue,
} from './system-config.keys';
import { SystemConfigStore, type SystemConfigEntry } from './system-config.store';

/** hawkBit's body of `PUT /system/configs/{key}`. */
export class SystemConfigValueDto {
  @IsDefined() value!: unknown;
}

const href = (key: string) => `/rest/v1/system/configs/${key}`;

/** hawkBit's MgmtSystemTenantConfigurationValue: audit fields only for a value set by someone. */
const present = ({ key, ...entry }: SystemConfigEntry) => ({ ...entry, _links: { self: { href: href(key) } } });

/**
 * Tenant settings (`/rest/v1/system/configs`). Read on every use, so a change takes effect at
 * once without a restart; DELETE puts a setting back to its default.
 */
@Controller('rest/v1/system/configs')
export class SystemConfigsController {
  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    private readonly configs: SystemConfigStore,
  ) {}

  @Get()
  async list() {
    const entries = await this.configs.all(this.pool);
    return Object.fromEntries(entries.map((entry) => [entry.key, present(entry)]));
  }

  /**
   * hawkBit's batch update: `{ "<key>": <value>, … }`, all or nothing (every key known and every
   * value of its type, else nothing changes); answers every setting, as the list does.
   */
  @Put()
  async putAll(@Body() body: unknown, @Headers('x-fleetwave-user') user = 'system') {
    if (typeof body !== 'object' || body === null || Array.isArray(body) || Object.keys(body).length === 0) {
      throw new ApplicationError(
        'bad_request',
        'hawkbit.server.error.rest.body.notReadable',
        'the body must be an object of at least one setting and its value',
      );
    }
    const changes = Object.entries(body).map(([key, value]) => checked(known(key), value));
    const at = Date.now();
    await withTransaction(this.pool, async (tx) => {
      for (const [name, value] of changes) await this.configs.set(tx, name, value, user, at);
    });
    return this.list();
  }

  @Get(':key')
  async get(@Param('key') key: string) {
    return present(await this.configs.get(this.pool, known(key)));
  }

  @Put(':key')
  async put(
    @Param('key') key: string,
    @Body() body: SystemConfigValueDto,
    @Headers('x-fleetwave-user') user = 'system',
  ) {
    const [name, value] = checked(known(key), body.value);
    return present(await this.configs.set(this.pool, name, value, user, Date.now()));
  }

  @Delete(':key')
  @HttpCode(204)
  async reset(@Param('key') key: string): Promise<void> {
    await this.configs.reset(this.pool, known(key));
  }
}

/** The setting and its value, when the value is of the setting's type (else a 400). */
function checked(name: SystemConfigKey, value: unknown): [SystemConfigKey, SystemConfigValue] {
  if (fitsKey(name, value)) return [name, value];
  throw new ApplicationError(
    'bad_request',
    'hawkbit.server.error.configValueInvalid',
    `${name} takes a ${systemConfigKeys[name].type} value`,
  );
}

function known(key: string): SystemConfigKey {
  if (isSystemConfigKey(key)) return key;
  throw new ApplicationError(
    'not_found',
    'hawkbit.server.error.configKeyInvalid',
    `the configuration key ${JSON.stringify(key.slice(0, 64))} does not exist`,
  );
}
