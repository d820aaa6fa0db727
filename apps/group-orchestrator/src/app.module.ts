import { DynamicModule, Module } from '@nestjs/common';
import { Topics } from '@fleetwave/contracts';
import { HealthController, type PlatformConfig } from '@fleetwave/platform';
import { serviceKitProviders, type ServiceKit } from '@fleetwave/service-kit';
import { ORCHESTRATOR_SCHEMA, orchestratorMigrationFor } from './workflow/group-workflow.migration';
import { GroupWorkflowRepository } from './workflow/group-workflow.repository';
import { rolloutInputTypes, RolloutEventsConsumer } from './workflow/consumers/rollout-events.consumer';
import { actionInputTypes, ActionEventsConsumer, movesWorkflow } from './workflow/consumers/action-events.consumer';
import { groupEventRoute } from './workflow/group-events.relay';

/** The wiring point: group workflow streams relayed to rollout-group.events.v1, rollout and action events consumed in batches. */
function wireOrchestrator(kit: ServiceKit): void {
  const workflows = new GroupWorkflowRepository(kit.store, kit.schema);
  const rolloutEvents = new RolloutEventsConsumer(workflows, Date.now);
  const actionEvents = new ActionEventsConsumer(workflows, Date.now);
  kit
    .migration(orchestratorMigrationFor(kit.schema))
    .relay(['groupworkflow'], groupEventRoute)
    .consumeEventBatches('group-orchestrator.rollout-events', [Topics.rolloutEvents], rolloutEvents.handleBatch, [
      ...rolloutInputTypes,
    ])
    .consumeEventBatches(
      'group-orchestrator.action-events',
      [Topics.actionEvents],
      actionEvents.handleBatch,
      [...actionInputTypes],
      { relevant: movesWorkflow },
    );
}

@Module({})
export class AppModule {
  static forRoot(config: PlatformConfig): DynamicModule {
    return {
      module: AppModule,
      controllers: [HealthController],
      providers: serviceKitProviders(config, ORCHESTRATOR_SCHEMA, { useFactory: () => wireOrchestrator }),
    };
  }
}
