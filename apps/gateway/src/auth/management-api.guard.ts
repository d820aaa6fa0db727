import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { authorize, basicChallenge, type Credentials } from './authorize';
import type { User } from './users';

export const CREDENTIALS = Symbol('CREDENTIALS');

/** A request the guard let through, with the caller it authenticated. */
export type AuthorizedRequest = Request & { caller: User };

/** {@link authorize} in front of the gateway's own Management API controllers. */
@Injectable()
export class ManagementApiGuard implements CanActivate {
  constructor(@Inject(CREDENTIALS) private readonly credentials: Credentials) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthorizedRequest>();
    try {
      request.caller = authorize(request.headers.authorization, request.method, request.path, this.credentials);
    } catch (error) {
      if ((error as { getStatus?: () => number }).getStatus?.() === 401) {
        http.getResponse<Response>().setHeader('WWW-Authenticate', basicChallenge);
      }
      throw error;
    }
    return true;
  }
}
