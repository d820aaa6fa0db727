import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ParseIdPipe } from '@fleetwave/platform';
import { RolloutChangesHub } from './rollout-changes.hub';

/** Keeps idle connections (and proxies in between) from timing out; carries no data. */
const KEEP_ALIVE_MS = 15_000;

/**
 * The change feed of one rollout, as server-sent events: `ready` once subscribed, then
 * `changed` after every projection commit that touched the rollout. Internal: the gateway's
 * WatchRollout and the dashboard read the rollout after each signal.
 */
@Controller('internal/rollouts')
export class RolloutChangesController {
  constructor(@Inject(RolloutChangesHub) private readonly hub: RolloutChangesHub) {}

  @Get(':id/changes')
  async follow(@Param('id', new ParseIdPipe('Rollout')) id: number, @Res() res: Response): Promise<void> {
    res.status(200);
    res.setHeader('content-type', 'text/event-stream');
    res.setHeader('cache-control', 'no-cache');
    res.flushHeaders();
    const send = (event: string) => res.write(`event: ${event}\ndata: {"rolloutId":${id}}\n\n`);
    // A signal before `ready` needs no event: the client reads the rollout after `ready` anyway.
    let ready = false;
    const stop = await this.hub.watch(id, () => ready && send('changed'));
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    res.on('close', () => {
      clearInterval(keepAlive);
      void stop();
    });
    send('ready');
    ready = true;
  }
}
