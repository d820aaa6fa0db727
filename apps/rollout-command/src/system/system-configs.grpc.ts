import { Inject, Injectable } from '@nestjs/common';
import { ProtoFiles, toConfigEntryMessage } from '@fleetwave/contracts';
import {
  callerOf,
  grpcServiceDefinition,
  invalidParameter,
  unaryImplementation,
  type GrpcService,
} from '@fleetwave/platform';
import { SystemConfigs } from './system-configs.service';

/** Its full name in {@link ProtoFiles.internalSystem}. */
export const SYSTEM_CONFIGS_SERVICE = 'fleetwave.internal.v1.SystemConfigs';

type Json = Record<string, unknown>;

/** A `ConfigValue`: its key and its value decoded from JSON (a malformed one is a 400). */
function valueOf(message: unknown): [string, unknown] {
  const { key, valueJson } = (message ?? {}) as { key?: unknown; valueJson?: unknown };
  try {
    return [String(key ?? ''), JSON.parse(String(valueJson ?? ''))];
  } catch {
    throw invalidParameter(`the value of ${JSON.stringify(String(key ?? '').slice(0, 64))} is not JSON`);
  }
}

/** `fleetwave.internal.v1.SystemConfigs`: each method is one {@link SystemConfigs} handler. */
@Injectable()
export class SystemConfigsGrpc {
  constructor(@Inject(SystemConfigs) private readonly configs: SystemConfigs) {}

  service(): GrpcService {
    const list = (entries: Parameters<typeof toConfigEntryMessage>[0][]) => ({
      entries: entries.map(toConfigEntryMessage),
    });
    return {
      definition: grpcServiceDefinition(ProtoFiles.internalSystem, SYSTEM_CONFIGS_SERVICE),
      implementation: unaryImplementation({
        ListConfigs: async () => list(await this.configs.list()),
        GetConfig: async (r) => toConfigEntryMessage(await this.configs.get(String(r.key ?? ''))),
        SetConfigs: async (r) =>
          list(await this.configs.setAll(((r.values ?? []) as Json[]).map(valueOf), callerOf(r).user)),
        SetConfig: async (r) => {
          const [key, value] = valueOf(r.value);
          return toConfigEntryMessage(await this.configs.set(key, value, callerOf(r).user));
        },
        ResetConfig: async (r) => {
          callerOf(r);
          await this.configs.reset(String(r.key ?? ''));
          return {};
        },
      }),
    };
  }
}
