import { status, type ServerWritableStream } from '@grpc/grpc-js';
import type { ChangeFeed } from './change-feed';
import { grpcError } from './grpc-status';
import { toGroupMessage, toRolloutMessage } from './proto-mapping';
import type { RestCall } from './rest-call';

type Json = Record<string, unknown>;

/** States after which a rollout changes no more. */
const finalStates = new Set(['finished', 'stopped', 'deleted']);

/**
 * `WatchRollout`: the rollout now, then after every change reporting signals, until it reaches a
 * final state or the client cancels. Signals that arrive while a snapshot is being read are
 * folded into one more read; a snapshot equal to the last one sent is not sent again.
 */
export async function watchRollout(
  call: ServerWritableStream<{ rolloutId?: number }, Json>,
  rest: RestCall,
  feed: ChangeFeed,
): Promise<void> {
  const rolloutId = Number(call.request.rolloutId ?? 0);
  const aborter = new AbortController();
  call.on('cancelled', () => aborter.abort());
  let reading = false;
  let dirty = false;
  let lastSent = '';
  let ended = false;
  const end = (error?: Error) => {
    if (ended) return;
    ended = true;
    aborter.abort();
    if (error) call.destroy(error);
    else call.end();
  };

  const snapshot = async (): Promise<void> => {
    if (reading) {
      dirty = true;
      return;
    }
    reading = true;
    try {
      do {
        dirty = false;
        const rollout = await rest<Json>('GET', `/rollouts/${rolloutId}`);
        const groups = await rest<{ content: Json[] }>('GET', `/rollouts/${rolloutId}/deploygroups?limit=500`);
        const message = { rollout: toRolloutMessage(rollout), groups: groups.content.map(toGroupMessage) };
        const text = JSON.stringify(message);
        if (text !== lastSent && !ended) {
          lastSent = text;
          call.write(message);
        }
        if (finalStates.has(String(rollout.status))) return end();
      } while (dirty && !ended);
    } catch (error) {
      end(error instanceof Error ? error : new Error(String(error)));
    } finally {
      reading = false;
    }
  };

  if (!Number.isSafeInteger(rolloutId) || rolloutId <= 0) {
    return end(
      grpcError(400, { errorCode: 'hawkbit.server.error.repo.invalidId', message: 'rollout_id must be a positive id' }),
    );
  }
  try {
    await feed.follow(rolloutId, () => void snapshot(), aborter.signal);
  } catch (error) {
    if (aborter.signal.aborted) return;
    return end(
      Object.assign(new Error(`the change feed is unavailable: ${String(error)}`), { code: status.UNAVAILABLE }),
    );
  }
  await snapshot();
}
