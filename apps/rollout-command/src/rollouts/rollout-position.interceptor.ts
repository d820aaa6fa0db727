import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { from, mergeMap, type Observable } from 'rxjs';
import type { EventStore } from '@fleetwave/event-store';
import { EVENT_STORE } from '../shared/tokens';
import { rolloutStream } from './rollout.repository';

/** Headers of a rollout write's answer: which rollout, and the revision of its stream after the write. */
export const PositionHeaders = { rollout: 'x-fleetwave-rollout', revision: 'x-fleetwave-position' } as const;

/**
 * Stamps every successful rollout write with the position it left the rollout's stream at, so
 * that the gateway can wait until the read model has projected that far before it answers (the
 * client's next read then shows its write). The rollout is the path's `:id`, or the created one
 * (`id` of a 201's body: a create or a retry). The revision is read after the write committed, so
 * it is the write's own or a later one: waiting for it never shows less than the write.
 */
@Injectable()
export class RolloutPositionInterceptor implements NestInterceptor {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    return next.handle().pipe(
      mergeMap((body: unknown) =>
        from(
          (async () => {
            const created = (body as { id?: unknown } | undefined)?.id;
            const rolloutId = typeof created === 'number' ? created : Number(request.params.id);
            if (Number.isSafeInteger(rolloutId) && rolloutId > 0) {
              const revision = await this.store.streamRevision(rolloutStream(rolloutId));
              if (revision !== undefined) {
                const response = http.getResponse<Response>();
                response.setHeader(PositionHeaders.rollout, String(rolloutId));
                response.setHeader(PositionHeaders.revision, String(revision));
              }
            }
            return body;
          })(),
        ),
      ),
    );
  }
}
