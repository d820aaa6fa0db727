import { Inject, OnApplicationBootstrap, OnApplicationShutdown, Provider } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import {
  CONSUMER_LAG,
  HawkbitExceptionFilter,
  METRICS,
  READINESS_CHECKS,
  type PlatformConfig,
} from '@fleetwave/platform';
import { ServiceKit } from './service-kit';

/** Declares a service's relays, consumers and subscriptions on its kit; runs once the container is built. */
export type KitWiring = (kit: ServiceKit) => void;

export const KIT_WIRING = Symbol('KIT_WIRING');

/** Starts the kit after the service's wiring, and stops it (consumers first) on shutdown. */
class ServiceKitLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(ServiceKit) private readonly kit: ServiceKit,
    @Inject(KIT_WIRING) private readonly wire: KitWiring,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.wire(this.kit);
    await this.kit.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.kit.stop();
  }
}

/**
 * The providers every event-driven service shares: its kit (in its own schema), readiness from
 * Postgres and Kafka, its metrics (`/metrics`) and consumer lag (`/health/lag`), hawkBit's error
 * shape, and the lifecycle. `wiring` is a factory provider
 * returning the service's {@link KitWiring}, so it can use the service's injected handlers.
 */
export function serviceKitProviders(
  config: PlatformConfig,
  schema: string,
  wiring: { useFactory: (...deps: never[]) => KitWiring; inject?: Provider[] | unknown[] },
): Provider[] {
  return [
    { provide: ServiceKit, useValue: new ServiceKit(config, schema) },
    { provide: READINESS_CHECKS, useFactory: (kit: ServiceKit) => kit.readinessChecks(), inject: [ServiceKit] },
    { provide: METRICS, useFactory: (kit: ServiceKit) => kit.metrics, inject: [ServiceKit] },
    { provide: CONSUMER_LAG, useExisting: ServiceKit },
    { provide: APP_FILTER, useClass: HawkbitExceptionFilter },
    { provide: KIT_WIRING, useFactory: wiring.useFactory, inject: (wiring.inject ?? []) as never[] },
    ServiceKitLifecycle,
  ];
}
