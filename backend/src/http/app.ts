import { randomUUID } from 'node:crypto';
import type { HealthResponse } from '@auxil/protocol';
import express, { type Express } from 'express';
import { requireToken } from '../auth/authenticate.js';
import { AuxilError } from '../errors.js';
import { filesRoutes } from '../projects/files-routes.js';
import { requestContext } from '../request-context.js';
import type { Services } from '../services.js';
import { VERSION } from '../version.js';
import { errorHandler } from './error-handler.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The express application: health (no authentication), then everything under /v1 (token required). */
export function createApp(services: Services): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.use((request, response, next) => {
    const given = request.headers['x-request-id'];
    const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    response.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    requestContext.run({ requestId }, () => {
      response.on('finish', () => {
        const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
        services.logger.info({ method: request.method, path: request.path, status: response.statusCode, durationMs }, 'request');
      });
      next();
    });
  });

  app.get('/healthz', (_request, response) => {
    const body: HealthResponse = { status: 'ok', version: VERSION, mode: 'embedded' };
    if (services.localTokenFile) body.localTokenFile = services.localTokenFile;
    response.json(body);
  });

  app.use('/v1', requireToken(services.store));
  app.use(filesRoutes(services));

  app.use((_request, _response, next) => {
    next(new AuxilError('not_found', 'no such endpoint; see docs/api.md for the API'));
  });
  app.use(errorHandler(services.logger, services.config.maxFileBytes));
  return app;
}
