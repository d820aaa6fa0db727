import type { INestApplication } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import { secondsSince } from './elapsed';
import { routeLabel } from './route-label';
import { METRICS, ServiceMetrics } from './service-metrics';

/** The service's metrics, when its module provides them. */
function metricsOf(app: INestApplication): ServiceMetrics | undefined {
  try {
    // Through the ModuleRef: the application object ends the process on an unknown token.
    return app.get(ModuleRef).get<ServiceMetrics>(METRICS, { strict: false });
  } catch {
    return undefined;
  }
}

/**
 * Serves `GET /metrics` (Prometheus text) and measures every HTTP request into
 * `fleetwave_http_request_duration_seconds{method,route,status}`, for an application whose
 * module provides {@link METRICS} (the kit's providers do). Installed at the HTTP edge rather
 * than as a controller so that every service gets both without wiring of its own, and so that
 * requests refused before routing (413, 415) are measured too. Call before `listen`.
 */
export function installMetricsEndpoint(app: INestApplication): void {
  const metrics = metricsOf(app);
  if (!metrics) return;
  const requests = metrics.histogram({
    name: 'fleetwave_http_request_duration_seconds',
    help: 'HTTP requests served, by method, route template and status, until the response ended or the client left',
    labelNames: ['method', 'route', 'status'],
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    const start = process.hrtime.bigint();
    // 'close' also fires when the client goes away mid-response (streams, server-sent events).
    res.once('close', () =>
      requests.observe(
        { method: req.method, route: routeLabel(req.path), status: res.statusCode },
        secondsSince(start),
      ),
    );
    if (req.method !== 'GET' || req.path !== '/metrics') return next();
    metrics.exposition().then(
      (text) => res.status(200).type(metrics.contentType).send(text),
      (error: unknown) => next(error),
    );
  });
}
