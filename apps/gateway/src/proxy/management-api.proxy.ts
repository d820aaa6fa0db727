import { All, Controller, Inject, Logger, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { authenticate, User } from '../auth/users';
import { requiredPermission } from '../auth/required-permission';
import { operationFor } from '../openapi/api-catalogue';
import { targetOfActionRead, Upstreams, upstreamFor } from './upstreams';
import { awaitProjected, writtenPosition } from './read-your-writes';
import { isStreamed, passThrough } from './streaming-pass-through';

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
    const upstream = upstreamFor(req.method, path, this.upstreams);
    const unavailable = (cause: unknown): void => {
      this.logger.warn(`${upstream} unreachable: ${cause instanceof Error ? cause.message : String(cause)}`);
      error(
        res,
        503,
        'ServiceUnavailableException',
        'hawkbit.server.error.unavailable',
        'a backing service is unavailable; retry shortly',
      );
    };
    if (isStreamed(req, path)) {
      // Artifact bytes, either way, flow through without being held (no JSON, no body size guard).
      const identity = { 'x-fleetwave-user': user.name, 'x-fleetwave-permissions': [...user.permissions].join(',') };
      await passThrough(req, res, `${upstream}${req.originalUrl}`, identity, unavailable);
      return;
    }
    const hasBody = !['GET', 'HEAD', 'DELETE'].includes(req.method) && req.body !== undefined;
    const headers = {
      'content-type': 'application/json',
      accept: 'application/json',
      'x-fleetwave-user': user.name,
      // Services decide by the caller's rights too (a creator lacking APPROVE_ROLLOUT needs approval).
      'x-fleetwave-permissions': [...user.permissions].join(','),
    };
    let response: globalThis.Response;
    try {
      const target = targetOfActionRead(req.method, path);
      if (target !== undefined) {
        // The inventory's answer for an unknown target (hawkBit's 404) stands for its actions too.
        const known = await fetch(`${this.upstreams.rolloutCommand}/rest/v1/targets/${target}`, {
          headers,
          signal: AbortSignal.timeout(30_000),
        });
        if (known.status === 404) {
          res.status(404).setHeader('content-type', 'application/json');
          res.send(await known.text());
          return;
        }
        await known.body?.cancel();
      }
      response = await fetch(`${upstream}${req.originalUrl}`, {
        method: req.method,
        headers,
        body: hasBody ? JSON.stringify(req.body) : undefined,
        signal: AbortSignal.timeout(30_000),
      });
    } catch (cause) {
      unavailable(cause);
      return;
    }
    const body = await response.text();
    // A rollout write is answered once the read model shows it, so the client's next read does.
    const position = response.ok ? writtenPosition(response.headers) : undefined;
    if (position) await awaitProjected(this.upstreams.reporting, position, READ_YOUR_WRITES_MS);
    res.status(response.status);
    const type = response.headers.get('content-type');
    if (type) res.setHeader('content-type', type);
    res.send(body);
  }
}
