import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { RolloutChangesHub } from './rollout-changes.hub';

const KEEP_ALIVE_MS = 15_000;
/**
 * Changes are gathered for this long and sent as one event: a busy rollout commits many times a
 * second, and a list only needs to know which rows to read again.
 */
const COALESCE_MS = 250;

/**
 * The change feed of the rollout list, as server-sent events: `ready` once subscribed, then
 * `changed` with `{"rolloutIds":[…]}` naming the rollouts changed since the last event, or
 * `{"rolloutIds":null}` when anything may have changed (the notification connection was
 * re-established). Internal: the dashboard's list re-reads its page after a signal.
 */
@Controller('internal/rollouts')
export class RolloutListChangesController {
  constructor(@Inject(RolloutChangesHub) private readonly hub: RolloutChangesHub) {}

  @Get('changes')
  async follow(@Res() res: Response): Promise<void> {
    res.status(200);
    res.setHeader('content-type', 'text/event-stream');
    res.setHeader('cache-control', 'no-cache');
    res.flushHeaders();
    let pending: Set<number> | 'any' | undefined;
    let timer: NodeJS.Timeout | undefined;
    const flush = () => {
      timer = undefined;
      const ids = pending === 'any' ? null : [...(pending ?? [])];
      pending = undefined;
      res.write(`event: changed\ndata: ${JSON.stringify({ rolloutIds: ids })}\n\n`);
    };
    let ready = false;
    const stop = await this.hub.watchAll((ids) => {
      if (!ready) return;
      if (!ids || pending === 'any') pending = 'any';
      else {
        pending ??= new Set();
        for (const id of ids) pending.add(id);
      }
      timer ??= setTimeout(flush, COALESCE_MS);
    });
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    res.on('close', () => {
      clearInterval(keepAlive);
      if (timer) clearTimeout(timer);
      void stop();
    });
    res.write('event: ready\ndata: {}\n\n');
    ready = true;
  }
}
