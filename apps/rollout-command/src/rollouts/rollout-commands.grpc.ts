import { Inject, Injectable, Optional } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { fromDefinitionMessage, ProtoFiles } from '@fleetwave/contracts';
import type { EventStore } from '@fleetwave/event-store';
import {
  callerOf,
  grpcServiceDefinition,
  idOf,
  parseRemark,
  unaryImplementation,
  type GrpcService,
} from '@fleetwave/platform';
import { EVENT_STORE } from '../shared/tokens';
import { ApproveRolloutCommand } from './commands/approve-rollout/approve-rollout.handler';
import { CreateRolloutCommand } from './commands/create-rollout/create-rollout.handler';
import { DeleteRolloutCommand } from './commands/delete-rollout/delete-rollout.handler';
import { DenyRolloutCommand } from './commands/deny-rollout/deny-rollout.handler';
import { PauseRolloutCommand } from './commands/pause-rollout/pause-rollout.handler';
import { ResumeRolloutCommand } from './commands/resume-rollout/resume-rollout.handler';
import { RetryRolloutCommand } from './commands/retry-rollout/retry-rollout.handler';
import { StartRolloutCommand } from './commands/start-rollout/start-rollout.handler';
import { StopRolloutCommand } from './commands/stop-rollout/stop-rollout.handler';
import { TriggerNextGroupCommand } from './commands/trigger-next-group/trigger-next-group.handler';
import { UpdateRolloutCommand } from './commands/update-rollout/update-rollout.handler';
import { DynamicIntakeWorker } from './processes/dynamic-intake.worker';
import { rolloutStream } from './rollout.repository';
import { createdRolloutView } from './rollout.view';

/** Its full name in {@link ProtoFiles.internalRollouts}. */
export const ROLLOUT_COMMANDS_SERVICE = 'fleetwave.internal.v1.RolloutCommands';

type Json = Record<string, unknown>;

/**
 * `fleetwave.internal.v1.RolloutCommands`: every rollout command for the gateway, each sent to
 * its one command handler. Every answer carries the position the write left the rollout's stream
 * at, read after the write committed, so that the gateway can wait for the read model to reach it.
 */
@Injectable()
export class RolloutCommandsGrpc {
  constructor(
    private readonly commands: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    /** Absent where a module serves the commands without the intake (its sweep still notices). */
    @Optional() private readonly intake?: DynamicIntakeWorker,
  ) {}

  service(): GrpcService {
    const rollout = (r: Json) => idOf(r.rolloutId, 'Rollout');
    /** A lifecycle command: its handler, then the position. */
    const lifecycle =
      (command: (id: number, user: string, now: number, r: Json) => object, after?: () => void) => async (r: Json) => {
        const id = rollout(r);
        await this.commands.execute(command(id, callerOf(r).user, Date.now(), r));
        after?.();
        return this.position(id);
      };
    // A dynamic rollout takes in targets from its start or resume on, without waiting for the next sweep.
    const wakeIntake = () => this.intake?.wake();
    return {
      definition: grpcServiceDefinition(ProtoFiles.internalRollouts, ROLLOUT_COMMANDS_SERVICE),
      implementation: unaryImplementation({
        CreateRollout: async (r) => {
          const { user, permissions } = callerOf(r);
          const created = await this.commands.execute(
            new CreateRolloutCommand(
              fromDefinitionMessage((r.definition ?? {}) as Json),
              user,
              Date.now(),
              permissions,
            ),
          );
          return { position: await this.position(created.rolloutId), rollout: createdRolloutView(created) };
        },
        UpdateRollout: async (r) => {
          const id = rollout(r);
          const body = {
            name: String(r.name ?? ''),
            description: typeof r.description === 'string' ? r.description : undefined,
          };
          const view = await this.commands.execute(new UpdateRolloutCommand(id, body, callerOf(r).user, Date.now()));
          return { position: await this.position(id), rollout: view };
        },
        DeleteRollout: lifecycle((id, user, now) => new DeleteRolloutCommand(id, user, now)),
        StartRollout: lifecycle((id, user, now) => new StartRolloutCommand(id, user, now), wakeIntake),
        PauseRollout: lifecycle((id, user, now) => new PauseRolloutCommand(id, user, now)),
        ResumeRollout: lifecycle((id, user, now) => new ResumeRolloutCommand(id, user, now), wakeIntake),
        StopRollout: lifecycle((id, user, now) => new StopRolloutCommand(id, user, now)),
        TriggerNextGroup: lifecycle((id, user, now) => new TriggerNextGroupCommand(id, user, now)),
        ApproveRollout: lifecycle(
          (id, user, now, r) => new ApproveRolloutCommand(id, user, now, parseRemark(r.remark)),
        ),
        DenyRollout: lifecycle((id, user, now, r) => new DenyRolloutCommand(id, user, now, parseRemark(r.remark))),
        RetryRollout: async (r) => {
          const { user, permissions } = callerOf(r);
          const created = await this.commands.execute(
            new RetryRolloutCommand(rollout(r), user, Date.now(), permissions),
          );
          return { position: await this.position(created.rolloutId), rollout: createdRolloutView(created) };
        },
      }),
    };
  }

  /** Where the rollout's stream is now; no revision when it has none (a removed rollout). */
  private async position(rolloutId: number): Promise<{ rolloutId: number; revision?: number }> {
    const revision = await this.store.streamRevision(rolloutStream(rolloutId));
    return { rolloutId, ...(revision !== undefined ? { revision } : {}) };
  }
}
