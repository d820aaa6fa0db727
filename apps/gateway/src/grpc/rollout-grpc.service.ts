import type { ArgumentMetadata } from '@nestjs/common';
import type { Metadata, ServerWritableStream, UntypedServiceImplementation } from '@grpc/grpc-js';
import { CreateRolloutDto, UpdateRolloutDto } from '@fleetwave/contracts';
import { HawkbitValidationPipe, ListQuery, ParseIdPipe, parseRemark, unaryImplementation } from '@fleetwave/platform';
import { authorize, type Credentials } from '../auth/authorize';
import type { User } from '../auth/users';
import type { LifecycleVerb, RolloutApi } from '../rollouts/rollout-api';
import type { ChangeFeed } from './change-feed';
import { toCreateBody, toGroupMessage, toPage, toRolloutMessage } from './proto-mapping';
import { watchRollout } from './watch-rollout';

type Json = Record<string, unknown>;

const pipe = new HawkbitValidationPipe();
/** A message's fields through the validation REST bodies and queries go through, with its defaults. */
const validated = <T>(value: Json, metatype: new () => T, type: ArgumentMetadata['type'] = 'body') =>
  pipe.transform(value, { type, metatype }) as Promise<T>;

const rolloutIdPipe = new ParseIdPipe('Rollout');
const groupIdPipe = new ParseIdPipe('RolloutGroup');
const idOf = (request: Json, field = 'rolloutId') =>
  (field === 'groupId' ? groupIdPipe : rolloutIdPipe).transform(String(request[field] ?? 0), {
    type: 'param',
    data: field,
  });

/** A page request's fields, as REST's list parameters (validated the same way). */
const pageOf = (page: Json | undefined) =>
  validated(
    Object.fromEntries(
      ['offset', 'limit', 'sort', 'q']
        .filter((k) => page?.[k] !== undefined && page?.[k] !== null && page?.[k] !== '')
        .map((k) => [k, String(page?.[k])]),
    ),
    ListQuery,
    'query',
  );

/** One method: the REST route whose permission it needs, and what it does for the caller. */
interface Method {
  route: (request: Json) => [method: string, path: string];
  run: (request: Json, caller: User) => Promise<Json>;
}

const rollouts = '/rest/v1/rollouts';
const ofRollout =
  (suffix = '') =>
  (r: Json) =>
    `${rollouts}/${String(r.rolloutId ?? 0)}${suffix}`;

/** The lifecycle verbs of `rollout.v1` by method name. */
const lifecycleMethods: Record<string, LifecycleVerb> = {
  StartRollout: 'start',
  PauseRollout: 'pause',
  ResumeRollout: 'resume',
  StopRollout: 'stop',
  TriggerNextGroup: 'triggerNextGroup',
};

/** Every unary method of `rollout.v1.RolloutService`, each the REST operation of the same name. */
function unaryMethods(api: RolloutApi): Record<string, Method> {
  const accepted = async (work: Promise<void>) => {
    await work;
    return {};
  };
  const methods: Record<string, Method> = {
    CreateRollout: {
      route: () => ['POST', rollouts],
      run: async (r, caller) =>
        toRolloutMessage(await api.create(caller, await validated(toCreateBody(r), CreateRolloutDto))),
    },
    GetRollout: { route: (r) => ['GET', ofRollout()(r)], run: async (r) => toRolloutMessage(await api.get(idOf(r))) },
    ListRollouts: {
      route: () => ['GET', rollouts],
      run: async (r) => toPage(await api.list(await pageOf(r)), toRolloutMessage),
    },
    UpdateRollout: {
      route: (r) => ['PUT', ofRollout()(r)],
      run: async (r, caller) => {
        const fields = Object.fromEntries(
          ['name', 'description'].filter((k) => typeof r[k] === 'string').map((k) => [k, r[k]]),
        );
        return toRolloutMessage(await api.update(caller, idOf(r), await validated(fields, UpdateRolloutDto)));
      },
    },
    DeleteRollout: {
      route: (r) => ['DELETE', ofRollout()(r)],
      run: (r, caller) => accepted(api.delete(caller, idOf(r))),
    },
    ApproveRollout: {
      route: (r) => ['POST', ofRollout('/approve')(r)],
      run: (r, caller) => accepted(api.decide(caller, 'approve', idOf(r), parseRemark(r.remark))),
    },
    DenyRollout: {
      route: (r) => ['POST', ofRollout('/deny')(r)],
      run: (r, caller) => accepted(api.decide(caller, 'deny', idOf(r), parseRemark(r.remark))),
    },
    RetryRollout: {
      route: (r) => ['POST', ofRollout('/retry')(r)],
      run: async (r, caller) => toRolloutMessage(await api.retry(caller, idOf(r))),
    },
    ListDeployGroups: {
      route: (r) => ['GET', ofRollout('/deploygroups')(r)],
      run: async (r) => toPage(await api.listGroups(idOf(r), await pageOf(r.page as Json | undefined)), toGroupMessage),
    },
    GetDeployGroup: {
      route: (r) => ['GET', ofRollout(`/deploygroups/${String(r.groupId ?? 0)}`)(r)],
      run: async (r) => toGroupMessage(await api.getGroup(idOf(r), idOf(r, 'groupId'))),
    },
  };
  for (const [name, verb] of Object.entries(lifecycleMethods)) {
    methods[name] = {
      route: (r) => ['POST', ofRollout(`/${verb}`)(r)],
      run: (r, caller) => accepted(api.lifecycle(caller, verb, idOf(r))),
    };
  }
  return methods;
}

const authorizationOf = (metadata: Metadata) => {
  const value = metadata.get('authorization')[0];
  return value === undefined ? undefined : String(value);
};

/**
 * The implementation of `rollout.v1.RolloutService`: the same front door as REST (credentials
 * from the `authorization` metadata, the permission of the matching REST operation), the same
 * validation, then the same {@link RolloutApi} handler. Errors are the REST errors as gRPC
 * statuses, with the REST error code in the `error-code` trailer.
 */
export function rolloutServiceImplementation(
  api: RolloutApi,
  credentials: Credentials,
  feed: ChangeFeed,
): UntypedServiceImplementation {
  const implementation = unaryImplementation(
    Object.fromEntries(
      Object.entries(unaryMethods(api)).map(([name, { route, run }]) => [
        name,
        async (request: Json, call) => {
          const [method, path] = route(request);
          return run(request, authorize(authorizationOf(call.metadata), method, path, credentials));
        },
      ]),
    ),
  );
  implementation.WatchRollout = (call: ServerWritableStream<Json, Json>) =>
    void watchRollout(
      call,
      async () => {
        const caller = authorizationOf(call.metadata);
        authorize(caller, 'GET', ofRollout()(call.request), credentials);
        const rolloutId = await idOf(call.request);
        return {
          rollout: await api.get(rolloutId),
          groups: (await api.listGroups(rolloutId, Object.assign(new ListQuery(), { limit: 500 }))).content,
        };
      },
      feed,
    );
  return implementation;
}

/** Method names the service implements; a test checks them against the proto. */
export const implementedMethods = [...Object.keys(unaryMethods({} as RolloutApi)), 'WatchRollout'];
