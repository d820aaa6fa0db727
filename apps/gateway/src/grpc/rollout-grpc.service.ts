import type { sendUnaryData, ServerUnaryCall, ServerWritableStream, UntypedServiceImplementation } from '@grpc/grpc-js';
import type { ChangeFeed } from './change-feed';
import { listQuery, toCreateBody, toGroupMessage, toPage, toRolloutMessage } from './proto-mapping';
import { restCallFor, type RestCall } from './rest-call';
import { watchRollout } from './watch-rollout';

type Json = Record<string, unknown>;

/** One unary method: the REST call it makes and the message it answers with. */
type Unary = (request: Json, rest: RestCall) => Promise<Json>;

const id = (request: Json, field = 'rolloutId') => Number(request[field] ?? 0);

/** A command that answers 204 on REST and `Accepted` here. */
const command =
  (verb: string): Unary =>
  async (request, rest) => {
    await rest('POST', `/rollouts/${id(request)}/${verb}`);
    return {};
  };

const approval =
  (verb: 'approve' | 'deny'): Unary =>
  async (request, rest) => {
    const remark = typeof request.remark === 'string' ? `?remark=${encodeURIComponent(request.remark)}` : '';
    await rest('POST', `/rollouts/${id(request)}/${verb}${remark}`);
    return {};
  };

/** Every unary method of `rollout.v1.RolloutService`, each the REST endpoint of the same name. */
const unaryMethods: Record<string, Unary> = {
  CreateRollout: async (request, rest) => toRolloutMessage(await rest('POST', '/rollouts', toCreateBody(request))),
  GetRollout: async (request, rest) => toRolloutMessage(await rest('GET', `/rollouts/${id(request)}`)),
  ListRollouts: async (request, rest) => toPage(await rest('GET', `/rollouts${listQuery(request)}`), toRolloutMessage),
  UpdateRollout: async (request, rest) => {
    const body = Object.fromEntries(
      ['name', 'description'].filter((k) => typeof request[k] === 'string').map((k) => [k, request[k]]),
    );
    return toRolloutMessage(await rest('PUT', `/rollouts/${id(request)}`, body));
  },
  DeleteRollout: async (request, rest) => {
    await rest('DELETE', `/rollouts/${id(request)}`);
    return {};
  },
  StartRollout: command('start'),
  PauseRollout: command('pause'),
  ResumeRollout: command('resume'),
  StopRollout: command('stop'),
  TriggerNextGroup: command('triggerNextGroup'),
  ApproveRollout: approval('approve'),
  DenyRollout: approval('deny'),
  RetryRollout: async (request, rest) => toRolloutMessage(await rest('POST', `/rollouts/${id(request)}/retry`)),
  ListDeployGroups: async (request, rest) =>
    toPage(
      await rest('GET', `/rollouts/${id(request)}/deploygroups${listQuery(request.page as Json | undefined)}`),
      toGroupMessage,
    ),
  GetDeployGroup: async (request, rest) =>
    toGroupMessage(await rest('GET', `/rollouts/${id(request)}/deploygroups/${id(request, 'groupId')}`)),
};

/** The implementation of `rollout.v1.RolloutService` over the gateway's REST API at `restBaseUrl`. */
export function rolloutServiceImplementation(restBaseUrl: string, feed: ChangeFeed): UntypedServiceImplementation {
  const implementation: UntypedServiceImplementation = {};
  for (const [name, method] of Object.entries(unaryMethods)) {
    implementation[name] = (call: ServerUnaryCall<Json, Json>, callback: sendUnaryData<Json>) => {
      method(call.request, restCallFor(restBaseUrl, call.metadata)).then(
        (response) => callback(null, response),
        (error: Error) => callback(error),
      );
    };
  }
  implementation.WatchRollout = (call: ServerWritableStream<Json, Json>) =>
    void watchRollout(call, restCallFor(restBaseUrl, call.metadata), feed);
  return implementation;
}

/** Method names the service implements; a test checks them against the proto. */
export const implementedMethods = [...Object.keys(unaryMethods), 'WatchRollout'];
