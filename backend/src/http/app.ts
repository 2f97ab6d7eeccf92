import { randomUUID } from 'node:crypto';
import type { HealthResponse } from '@auxil/protocol';
import express, { type Express, type RequestHandler, type Response } from 'express';
import { requireToken } from '../auth/authenticate.js';
import { AuxilError } from '../errors.js';
import { mcpRoutes } from '../mcp/mcp-http.js';
import { projectRoutes } from '../projects/project-routes.js';
import { requestContext } from '../request-context.js';
import type { Services } from '../services.js';
import { VERSION } from '../version.js';
import { errorHandler } from './error-handler.js';
import { docsPage, openApiDocument } from './openapi.js';
import { limitPerTenant, shedLoad } from './overload.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * `Server-Timing: app;dur=<ms>` on every response: the time from the request reaching the
 * application to its headers being written (body reading and the handler's work included, the
 * network and the client's queueing not), so a client can tell server time from the rest.
 */
function serverTiming(): RequestHandler {
  return (_request, response, next) => {
    const started = process.hrtime.bigint();
    const writeHead = response.writeHead.bind(response) as (...args: unknown[]) => Response;
    // Node writes implicit headers through writeHead too, so every response passes here once.
    response.writeHead = ((...args: unknown[]): Response => {
      if (!response.headersSent) {
        response.setHeader('Server-Timing', `app;dur=${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(1)}`);
      }
      return writeHead(...args);
    }) as Response['writeHead'];
    next();
  };
}

/** The express application: health (no authentication), then everything under /v1 (token required). */
export function createApp(services: Services): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(serverTiming());

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
    const body: HealthResponse = { status: 'ok', version: VERSION, mode: services.mode };
    if (services.localTokenFile) body.localTokenFile = services.localTokenFile;
    response.json(body);
  });

  // The reference page holds nothing of any tenant (it is docs/api.md's operation list), so a
  // browser can open it without a token; the OpenAPI document itself is served under /v1.
  app.get('/docs', (_request, response) => {
    response.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    response.type('html').send(docsPage());
  });

  app.use('/v1', shedLoad(services.config.maxInFlight));
  app.use('/v1', requireToken(services.store));
  app.use('/v1', limitPerTenant(services.config.rateLimit));
  app.get('/v1/openapi.json', (_request, response) => {
    response.json(openApiDocument());
  });
  app.use(projectRoutes(services));

  app.use(mcpRoutes(services));

  app.use((_request, _response, next) => {
    next(new AuxilError('not_found', 'no such endpoint; see docs/api.md for the API'));
  });
  app.use(errorHandler(services.logger, services.config.maxFileBytes));
  return app;
}
