import { All, Controller, Inject, Logger, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { authenticate, User } from '../auth/users';
import { requiredPermission } from '../auth/required-permission';
import { operationFor } from '../openapi/api-catalogue';
import { Upstreams, upstreamFor } from './upstreams';
import { rolloutWaitFor, waitSatisfied } from './read-your-writes';

export const USERS = Symbol('USERS');
export const TOKENS = Symbol('TOKENS');
export const UPSTREAMS = Symbol('UPSTREAMS');

const READ_YOUR_WRITES_MS = 5_000;

const error = (res: Response, status: number, exceptionClass: string, errorCode: string, message: string) =>
  res.status(status).json({ exceptionClass, errorCode, message });

/**
 * The Management API's front door: authenticates (HTTP Basic), authorizes by hawkBit permission,
 * forwards to the owning service, and makes a client's own rollout writes visible to its next read.
 */
@Controller()
export class ManagementApiProxy {
  private readonly logger = new Logger('gateway');

  constructor(
    @Inject(USERS) private readonly users: Map<string, User>,
    @Inject(UPSTREAMS) private readonly upstreams: Upstreams,
    @Inject(TOKENS) private readonly tokens: Map<string, User>,
  ) {}

  @All(['rest/v1', 'rest/v1/*path'])
  async forward(@Req() req: Request, @Res() res: Response): Promise<void> {
    const user = authenticate(req.headers.authorization, this.users, this.tokens);
    if (!user) {
      res.setHeader('WWW-Authenticate', 'Basic realm="fleetwave"');
      error(
        res,
        401,
        'AuthenticationException',
        'hawkbit.server.error.unauthorized',
        'Full authentication is required',
      );
      return;
    }
    const path = req.path;
    const permission = requiredPermission(req.method, path);
    // The API is what the catalogue lists (and the OpenAPI document shows); nothing else is forwarded.
    if (!permission || !operationFor(req.method, path)) {
      error(res, 404, 'NotFoundException', 'hawkbit.server.error.notFound', `no resource at ${req.method} ${path}`);
      return;
    }
    if (!user.permissions.has(permission)) {
      error(
        res,
        403,
        'InsufficientPermissionException',
        'hawkbit.server.error.insufficientpermission',
        `${permission} is required`,
      );
      return;
    }
    const startedAt = Date.now();
    const upstream = upstreamFor(req.method, path, this.upstreams);
    const hasBody = !['GET', 'HEAD', 'DELETE'].includes(req.method) && req.body !== undefined;
    let response: globalThis.Response;
    try {
      response = await fetch(`${upstream}${req.originalUrl}`, {
        method: req.method,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'x-fleetwave-user': user.name,
          // Services decide by the caller's rights too (a creator lacking APPROVE_ROLLOUT needs approval).
          'x-fleetwave-permissions': [...user.permissions].join(','),
        },
        body: hasBody ? JSON.stringify(req.body) : undefined,
        signal: AbortSignal.timeout(30_000),
      });
    } catch (cause) {
      this.logger.warn(`${upstream} unreachable: ${cause instanceof Error ? cause.message : String(cause)}`);
      error(
        res,
        503,
        'ServiceUnavailableException',
        'hawkbit.server.error.unavailable',
        'a backing service is unavailable; retry shortly',
      );
      return;
    }
    const body = await response.text();
    if (response.ok) await this.awaitRolloutProjection(req.method, path, response.status, body, startedAt);
    res.status(response.status);
    const type = response.headers.get('content-type');
    if (type) res.setHeader('content-type', type);
    res.send(body);
  }

  /**
   * After a rollout write, wait (bounded) until the read model shows it, so the client's next GET
   * does: a created rollout exists, a changed one has a lastModifiedAt from this write on, a
   * deleted one is soft-deleted (changed) or gone (404).
   */
  private async awaitRolloutProjection(
    method: string,
    path: string,
    status: number,
    body: string,
    since: number,
  ): Promise<void> {
    const wait = rolloutWaitFor(method, path, status, body);
    if (!wait) return;
    const deadline = Date.now() + READ_YOUR_WRITES_MS;
    while (Date.now() < deadline) {
      const view = await fetch(`${this.upstreams.reporting}/rest/v1/rollouts/${wait.rolloutId}`).catch(() => undefined);
      if (view?.ok && waitSatisfied(wait, (await view.json()) as { lastModifiedAt: number }, since)) return;
      if (view?.status === 404 && waitSatisfied(wait, undefined, since)) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}
