import { HawkbitHttpError } from '@fleetwave/platform';
import { operationFor } from '../openapi/api-catalogue';
import { requiredPermission } from './required-permission';
import { authenticate, type User } from './users';

/** Who may call: the configured users and API tokens. */
export interface Credentials {
  users: Map<string, User>;
  tokens: Map<string, User>;
}

/** The challenge a 401 answers with. */
export const basicChallenge = 'Basic realm="fleetwave"';

export const unauthenticated = (): HawkbitHttpError =>
  new HawkbitHttpError(401, {
    exceptionClass: 'AuthenticationException',
    errorCode: 'hawkbit.server.error.unauthorized',
    message: 'Full authentication is required',
  });

/** hawkBit's 404 for a path or method the API does not have. */
export const noResource = (method: string, path: string): HawkbitHttpError =>
  new HawkbitHttpError(404, {
    exceptionClass: 'NotFoundException',
    errorCode: 'hawkbit.server.error.notFound',
    message: `no resource at ${method} ${path}`,
  });

/**
 * The Management API's front door, for REST and gRPC alike: the caller an `Authorization` value
 * (Basic or Bearer) authenticates (401 otherwise), an operation the API has (404 otherwise:
 * the API is what the catalogue lists and the OpenAPI document shows), and the hawkBit
 * permission it needs (403 without it).
 */
export function authorize(
  authorization: string | undefined,
  method: string,
  path: string,
  credentials: Credentials,
): User {
  const user = authenticate(authorization, credentials.users, credentials.tokens);
  if (!user) throw unauthenticated();
  const permission = requiredPermission(method, path);
  if (!permission || !operationFor(method, path)) throw noResource(method, path);
  if (!user.permissions.has(permission)) {
    throw new HawkbitHttpError(403, {
      exceptionClass: 'InsufficientPermissionException',
      errorCode: 'hawkbit.server.error.insufficientpermission',
      message: `${permission} is required`,
    });
  }
  return user;
}

/** The caller as the internal API's `Caller` message carries it. */
export const callerMessage = (user: User) => ({ user: user.name, permissions: [...user.permissions] });
