import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { withTransaction } from '@fleetwave/platform';
import { ApplicationError } from '../shared/application-error';
import { DATABASE_POOL } from '../shared/tokens';
import {
  fitsKey,
  isSystemConfigKey,
  systemConfigKeys,
  type SystemConfigKey,
  type SystemConfigValue,
} from './system-config.keys';
import { SystemConfigStore, type SystemConfigEntry } from './system-config.store';

/**
 * Tenant settings: the one handler of each of their commands and queries, which the internal
 * gRPC API serves (system-configs.grpc.ts). Read on every use, so a change takes effect at once
 * without a restart; a reset puts a setting back to its default.
 */
@Injectable()
export class SystemConfigs {
  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    private readonly configs: SystemConfigStore,
  ) {}

  list(): Promise<SystemConfigEntry[]> {
    return this.configs.all(this.pool);
  }

  get(key: string): Promise<SystemConfigEntry> {
    return this.configs.get(this.pool, known(key));
  }

  /** Several at once, all or nothing: every key known and every value of its type, else nothing changes. */
  async setAll(values: [key: string, value: unknown][], user: string): Promise<SystemConfigEntry[]> {
    if (values.length === 0) {
      throw new ApplicationError(
        'bad_request',
        'hawkbit.server.error.rest.body.notReadable',
        'the body must be an object of at least one setting and its value',
      );
    }
    const changes = values.map(([key, value]) => checked(known(key), value));
    const at = Date.now();
    await withTransaction(this.pool, async (tx) => {
      for (const [name, value] of changes) await this.configs.set(tx, name, value, user, at);
    });
    return this.list();
  }

  async set(key: string, value: unknown, user: string): Promise<SystemConfigEntry> {
    const [name, checkedValue] = checked(known(key), value);
    return this.configs.set(this.pool, name, checkedValue, user, Date.now());
  }

  async reset(key: string): Promise<void> {
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
