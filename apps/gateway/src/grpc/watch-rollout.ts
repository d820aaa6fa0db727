import { status, type ServerWritableStream } from '@grpc/grpc-js';
import type { ChangeFeed } from './change-feed';
import { grpcErrorFor, toGrpcError } from '@fleetwave/platform';
import { toGroupMessage, toRolloutMessage } from './proto-mapping';

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
  /** The rollout and its groups now, as the REST API shows them (and with its checks). */
  read: () => Promise<{ rollout: Json; groups: Json[] }>,
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
        const { rollout, groups } = await read();
        const message = { rollout: toRolloutMessage(rollout), groups: groups.map(toGroupMessage) };
        const text = JSON.stringify(message);
        if (text !== lastSent && !ended) {
          lastSent = text;
          call.write(message);
        }
        if (finalStates.has(String(rollout.status))) return end();
      } while (dirty && !ended);
    } catch (error) {
      end(toGrpcError(error));
    } finally {
      reading = false;
    }
  };

  if (!Number.isSafeInteger(rolloutId) || rolloutId <= 0) {
    return end(
      grpcErrorFor(400, {
        errorCode: 'hawkbit.server.error.repo.invalidId',
        message: 'rollout_id must be a positive id',
      }),
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
