import type { Provider } from '@nestjs/common';
import type { Pool } from 'pg';
import type { EventStore } from '@fleetwave/event-store';
import { INVENTORY_SCHEMA } from '../inventory/inventory.migration';
import { DistributionSetLookup } from '../repository/queries/distribution-set.lookup';
import { DATABASE_POOL, EVENT_STORE } from '../shared/tokens';
import { SystemConfigStore } from '../system/system-config.store';
import { SystemConfigs } from '../system/system-configs.service';
import { SystemConfigsGrpc } from '../system/system-configs.grpc';
import { ApproveRolloutHandler } from './commands/approve-rollout/approve-rollout.handler';
import { CreateRolloutHandler } from './commands/create-rollout/create-rollout.handler';
import { DeleteRolloutHandler } from './commands/delete-rollout/delete-rollout.handler';
import { DenyRolloutHandler } from './commands/deny-rollout/deny-rollout.handler';
import { PauseRolloutHandler } from './commands/pause-rollout/pause-rollout.handler';
import { ResumeRolloutHandler } from './commands/resume-rollout/resume-rollout.handler';
import { RetryRolloutHandler } from './commands/retry-rollout/retry-rollout.handler';
import { StartRolloutHandler } from './commands/start-rollout/start-rollout.handler';
import { StopRolloutHandler } from './commands/stop-rollout/stop-rollout.handler';
import { TriggerNextGroupHandler } from './commands/trigger-next-group/trigger-next-group.handler';
import { UpdateRolloutHandler } from './commands/update-rollout/update-rollout.handler';
import { CreationChunkStep } from './processes/creation-chunk.step';
import { CreationProgressStore } from './processes/creation-progress.store';
import { GroupEventsConsumer } from './processes/group-events.consumer';
import { RolloutCreationWorker } from './processes/rollout-creation.worker';
import { TargetResolver } from './processes/target-resolver';
import { ScheduledStartStore } from './processes/scheduled-start.store';
import { ScheduledStartWorker } from './processes/scheduled-start.worker';
import { GroupSplitPlanner } from './commands/create-rollout/group-split.planner';
import { readRolloutQuotas, ROLLOUT_QUOTAS } from './rollout-quotas.config';
import { RolloutNamesStore } from './rollout-names.store';
import { RolloutRepository } from './rollout.repository';
import { StartedGroupsStore } from './started-groups.store';
import { RolloutOutcomesStore } from '../targets/action-status/rollout-outcomes.store';
import { DynamicIntakeStore } from './processes/dynamic-intake.store';
import { DynamicIntakeStep } from './processes/dynamic-intake.step';
import { DynamicIntakeWorker } from './processes/dynamic-intake.worker';
import type { RolloutQuotas } from './domain/rollout-quotas';

/**
 * Everything rollouts need given a {@link DATABASE_POOL} and an {@link EVENT_STORE}: stores,
 * the creation and scheduled-start workers, one handler per command and the group-events
 * consumer. Their tables come from the inventory plan and rollouts.migration.ts (the app runs both).
 */
export const rolloutProviders: Provider[] = [
  DistributionSetLookup,
  RolloutRepository,
  {
    provide: TargetResolver,
    useFactory: (pool: Pool) => new TargetResolver(pool, INVENTORY_SCHEMA),
    inject: [DATABASE_POOL],
  },
  { provide: CreationProgressStore, useValue: new CreationProgressStore(INVENTORY_SCHEMA) },
  { provide: SystemConfigStore, useValue: new SystemConfigStore(INVENTORY_SCHEMA) },
  SystemConfigs,
  SystemConfigsGrpc,
  { provide: StartedGroupsStore, useValue: new StartedGroupsStore(INVENTORY_SCHEMA) },
  { provide: RolloutNamesStore, useValue: new RolloutNamesStore(INVENTORY_SCHEMA) },
  { provide: ScheduledStartStore, useValue: new ScheduledStartStore(INVENTORY_SCHEMA) },
  { provide: RolloutOutcomesStore, useValue: new RolloutOutcomesStore(INVENTORY_SCHEMA) },
  { provide: DynamicIntakeStore, useValue: new DynamicIntakeStore(INVENTORY_SCHEMA) },
  {
    provide: DynamicIntakeWorker,
    useFactory: (
      pool: Pool,
      store: EventStore,
      rollouts: RolloutRepository,
      progress: CreationProgressStore,
      intakes: DynamicIntakeStore,
      quotas: RolloutQuotas,
    ) => new DynamicIntakeWorker(pool, new DynamicIntakeStep(store, rollouts, progress, intakes, quotas), intakes),
    inject: [DATABASE_POOL, EVENT_STORE, RolloutRepository, CreationProgressStore, DynamicIntakeStore, ROLLOUT_QUOTAS],
  },
  // Read once when the application is built; an invalid value fails the start.
  { provide: ROLLOUT_QUOTAS, useFactory: () => readRolloutQuotas(process.env) },
  GroupSplitPlanner,
  {
    provide: ScheduledStartWorker,
    useFactory: (pool: Pool, rollouts: RolloutRepository, starts: ScheduledStartStore, configs: SystemConfigStore) =>
      new ScheduledStartWorker(pool, rollouts, starts, configs),
    inject: [DATABASE_POOL, RolloutRepository, ScheduledStartStore, SystemConfigStore],
  },
  {
    provide: RolloutCreationWorker,
    useFactory: (
      pool: Pool,
      store: EventStore,
      resolver: TargetResolver,
      rollouts: RolloutRepository,
      progress: CreationProgressStore,
    ) => new RolloutCreationWorker(pool, new CreationChunkStep(store, resolver, rollouts, progress), progress),
    inject: [DATABASE_POOL, EVENT_STORE, TargetResolver, RolloutRepository, CreationProgressStore],
  },
  CreateRolloutHandler,
  StartRolloutHandler,
  ApproveRolloutHandler,
  DenyRolloutHandler,
  PauseRolloutHandler,
  ResumeRolloutHandler,
  TriggerNextGroupHandler,
  StopRolloutHandler,
  DeleteRolloutHandler,
  RetryRolloutHandler,
  UpdateRolloutHandler,
  {
    provide: GroupEventsConsumer,
    useFactory: (rollouts: RolloutRepository, startedGroups: StartedGroupsStore) =>
      new GroupEventsConsumer(rollouts, startedGroups),
    inject: [RolloutRepository, StartedGroupsStore],
  },
];
