import { DynamicModule, Module } from '@nestjs/common';
import { Topics } from '@fleetwave/contracts';
import { HealthController, type PlatformConfig } from '@fleetwave/platform';
import { serviceKitProviders, type ServiceKit } from '@fleetwave/service-kit';
import { ORCHESTRATOR_SCHEMA, orchestratorMigrationFor } from './workflow/group-workflow.migration';
import { GroupWorkflowRepository } from './workflow/group-workflow.repository';
import { RolloutEventsConsumer } from './workflow/consumers/rollout-events.consumer';
import { ActionEventsConsumer } from './workflow/consumers/action-events.consumer';
import { isWorkflowEvent, type WorkflowEventType } from './workflow/domain/group-workflow.events';

/** The workflow events that are also integration events; the others stay private to the service. */
const publicEvents = new Set<WorkflowEventType>([
  'RolloutGroupStarted.v1',
  'RolloutGroupFinished.v1',
  'RolloutGroupsCompleted.v1',
]);

/** The wiring point: group workflow streams relayed to rollout-group.events.v1, rollout and action events consumed in batches. */
function wireOrchestrator(kit: ServiceKit): void {
  const workflows = new GroupWorkflowRepository(kit.store, kit.schema);
  const rolloutEvents = new RolloutEventsConsumer(workflows);
  const actionEvents = new ActionEventsConsumer(workflows, Date.now);
  kit
    .migration(orchestratorMigrationFor(kit.schema))
    .relay(['groupworkflow'], (event) =>
      isWorkflowEvent(event) && publicEvents.has(event.type)
        ? { topic: Topics.rolloutGroupEvents, key: String(event.data.rolloutId) }
        : undefined,
    )
    .consumeEventBatches('group-orchestrator.rollout-events', [Topics.rolloutEvents], rolloutEvents.handleBatch, [
      'RolloutCreated.v1',
      'RolloutReady.v1',
      'RolloutStarted.v1',
    ])
    .consumeEventBatches('group-orchestrator.action-events', [Topics.actionEvents], actionEvents.handleBatch, [
      'ActionStatusChanged.v1',
    ]);
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
