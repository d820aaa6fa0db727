import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  publicAsset,
  ROLLOUT_STATUSES_MODULE,
  UI_CONTENT_SECURITY_POLICY,
  UI_PUBLIC_DIR,
  vendorAsset,
  type UiAsset,
} from './ui-assets';

/**
 * Serves the dashboard: `/ui` is the single page (navigation happens in the URL's fragment),
 * `/ui/assets/…` its scripts and styles, `/ui/vendor/…` the chart library from node_modules.
 * The files themselves are public; every piece of data they show comes through authenticated APIs.
 */
@Controller('ui')
export class UiAssetsController {
  @Get()
  page(@Res() res: Response): Promise<void> {
    res.setHeader('content-security-policy', UI_CONTENT_SECURITY_POLICY);
    res.setHeader('referrer-policy', 'no-referrer');
    return send(res, { file: join(UI_PUBLIC_DIR, 'index.html'), contentType: 'text/html; charset=utf-8' });
  }

  // Declared before the wildcard below, so it answers this path.
  @Get('assets/js/rollout-statuses.js')
  rolloutStatuses(@Res() res: Response): void {
    res.status(200);
    assetHeaders(res, 'text/javascript; charset=utf-8', Buffer.byteLength(ROLLOUT_STATUSES_MODULE));
    res.end(ROLLOUT_STATUSES_MODULE);
  }

  @Get('assets/*path')
  asset(@Req() req: Request, @Res() res: Response): Promise<void> {
    return send(res, publicAsset(decodeURIComponent(req.path.replace(/^\/ui\/assets\//, ''))));
  }

  @Get('vendor/:name')
  vendor(@Param('name') name: string, @Res() res: Response): Promise<void> {
    return send(res, vendorAsset(name));
  }
}

async function send(res: Response, asset: UiAsset | undefined): Promise<void> {
  const size = asset && (await stat(asset.file).catch(() => undefined))?.size;
  if (!asset || size === undefined) {
    res.status(404).json({
      exceptionClass: 'NotFoundException',
      errorCode: 'hawkbit.server.error.notFound',
      message: 'no such dashboard file',
    });
    return;
  }
  res.status(200);
  assetHeaders(res, asset.contentType, size);
  createReadStream(asset.file).pipe(res);
}

function assetHeaders(res: Response, contentType: string, size: number): void {
  res.setHeader('content-type', contentType);
  res.setHeader('content-length', String(size));
  res.setHeader('x-content-type-options', 'nosniff');
  // Revalidated on every load, so a new version of the dashboard is picked up at once.
  res.setHeader('cache-control', 'no-cache');
}
