import { All, Controller, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { HawkbitHttpError } from '@fleetwave/platform';
import { authorize, basicChallenge, noResource, type Credentials } from '../auth/authorize';
import { CREDENTIALS } from '../auth/management-api.guard';

/**
 * What no controller of the Management API takes, answered as the front door answers it
 * ({@link authorize}): an unauthenticated caller learns nothing of the API (401), an authenticated
 * one gets hawkBit's 404 for a path or method the API does not have. Registered after every
 * controller of `/rest/v1`.
 */
@Controller()
export class ManagementApiFrontDoor {
  constructor(@Inject(CREDENTIALS) private readonly credentials: Credentials) {}

  @All(['rest/v1', 'rest/v1/*path'])
  refuse(@Req() req: Request, @Res() res: Response): void {
    let refusal: HawkbitHttpError;
    try {
      authorize(req.headers.authorization, req.method, req.path, this.credentials);
      // Listed in the API, yet taken by no controller: still not a resource the gateway has.
      refusal = noResource(req.method, req.path);
    } catch (refused) {
      if (!(refused instanceof HawkbitHttpError)) throw refused;
      refusal = refused;
    }
    if (refusal.getStatus() === 401) res.setHeader('WWW-Authenticate', basicChallenge);
    res.status(refusal.getStatus()).json(refusal.body);
  }
}
