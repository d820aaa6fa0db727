import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ParseIdPipe } from '@fleetwave/platform';
import { authenticate, permissions, type Permission, type User } from '../auth/users';
import type { Credentials } from '../auth/authorize';
import { CREDENTIALS } from '../auth/management-api.guard';
import { UPSTREAMS, type Upstreams } from '../upstreams';
import { relayEventStream } from './event-stream-relay';

const exceptionClasses: Record<number, string> = {
  401: 'AuthenticationException',
  403: 'InsufficientPermissionException',
  404: 'NotFoundException',
  503: 'ServiceUnavailableException',
};

/** hawkBit's error body, as the Management API answers. */
const failure = (res: Response, status: number, errorCode: string, message: string) =>
  res.status(status).json({ exceptionClass: exceptionClasses[status], errorCode, message });

/**
 * The dashboard's own API, beside the Management API it otherwise uses: who the caller is and
 * what it may do (so the page shows only the buttons that will work), and the live change feeds,
 * relayed from reporting with the caller's credentials checked. Credentials come as on the
 * Management API (Basic or Bearer); a 401 here carries no `WWW-Authenticate`, so a browser shows
 * the page's own log-in form rather than its built-in dialog.
 */
@Controller('ui/api')
export class UiApiController {
  constructor(
    @Inject(CREDENTIALS) private readonly credentials: Credentials,
    @Inject(UPSTREAMS) private readonly upstreams: Upstreams,
  ) {}

  @Get('me')
  me(@Req() req: Request, @Res() res: Response): void {
    const user = this.caller(req, res);
    if (!user) return;
    // In the order of hawkBit's list, whatever order the configuration named them in.
    res.status(200).json({ name: user.name, permissions: permissions.filter((p) => user.permissions.has(p)) });
  }

  /** Signals that rollouts changed (`{"rolloutIds":[…]}`), for the rollout list. */
  @Get('rollouts/changes')
  async listChanges(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (!this.caller(req, res, 'READ_ROLLOUT')) return;
    await this.relay(`${this.upstreams.reporting}/internal/rollouts/changes`, res);
  }

  /** Signals that one rollout changed, for its detail page. */
  @Get('rollouts/:id/changes')
  async rolloutChanges(
    @Param('id', new ParseIdPipe('Rollout')) id: number,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    if (!this.caller(req, res, 'READ_ROLLOUT')) return;
    await this.relay(`${this.upstreams.reporting}/internal/rollouts/${id}/changes`, res);
  }

  private async relay(url: string, res: Response): Promise<void> {
    const status = await relayEventStream(url, res);
    if (status === 404) failure(res, 404, 'hawkbit.server.error.notFound', 'this change feed is not available');
    else if (status !== 200)
      failure(res, 503, 'hawkbit.server.error.unavailable', 'the change feed is unavailable; retry shortly');
  }

  /** The authenticated caller holding `needs`; otherwise answers 401/403 and returns undefined. */
  private caller(req: Request, res: Response, needs?: Permission): User | undefined {
    const user = authenticate(req.headers.authorization, this.credentials.users, this.credentials.tokens);
    if (!user) {
      failure(res, 401, 'hawkbit.server.error.unauthorized', 'Full authentication is required');
      return undefined;
    }
    if (needs && !user.permissions.has(needs)) {
      failure(res, 403, 'hawkbit.server.error.insufficientpermission', `${needs} is required`);
      return undefined;
    }
    return user;
  }
}
