import { All, Controller, Inject, Logger, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { HawkbitHttpError, serviceUnavailable } from '@fleetwave/platform';
import { authorize, basicChallenge, identityHeaders, type Credentials } from '../auth/authorize';
import { CREDENTIALS } from '../auth/management-api.guard';
import type { User } from '../auth/users';
import type { Upstreams } from './upstreams';
import { isStreamed, passThrough } from './streaming-pass-through';

export const UPSTREAMS = Symbol('UPSTREAMS');

/**
 * The rest of the Management API, which the gateway does not serve itself yet (the inventory and
 * a group's targets): authenticated and authorized as every route ({@link authorize}), then
 * forwarded to rollout-command, which owns them, over HTTP.
 */
@Controller()
export class ManagementApiProxy {
  private readonly logger = new Logger('gateway');

  constructor(
    @Inject(CREDENTIALS) private readonly credentials: Credentials,
    @Inject(UPSTREAMS) private readonly upstreams: Upstreams,
  ) {}

  @All(['rest/v1', 'rest/v1/*path'])
  async forward(@Req() req: Request, @Res() res: Response): Promise<void> {
    let user: User;
    try {
      user = authorize(req.headers.authorization, req.method, req.path, this.credentials);
    } catch (refused) {
      if (refused instanceof HawkbitHttpError) {
        if (refused.getStatus() === 401) res.setHeader('WWW-Authenticate', basicChallenge);
        res.status(refused.getStatus()).json(refused.body);
        return;
      }
      throw refused;
    }
    const path = req.path;
    const upstream = this.upstreams.rolloutCommand;
    const unavailable = (cause: unknown): void => {
      this.logger.warn(`${upstream} unreachable: ${cause instanceof Error ? cause.message : String(cause)}`);
      res.status(503).json(serviceUnavailable().body);
    };
    if (isStreamed(req, path)) {
      // Artifact bytes, either way, flow through without being held (no JSON, no body size guard).
      await passThrough(req, res, `${upstream}${req.originalUrl}`, identityHeaders(user), unavailable);
      return;
    }
    const hasBody = !['GET', 'HEAD', 'DELETE'].includes(req.method) && req.body !== undefined;
    const headers = {
      'content-type': 'application/json',
      accept: 'application/json',
      // Who acts, and with which rights: the service records the one and may decide by the other.
      ...identityHeaders(user),
    };
    let response: globalThis.Response;
    try {
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
    res.status(response.status);
    const type = response.headers.get('content-type');
    if (type) res.setHeader('content-type', type);
    res.send(body);
  }
}
