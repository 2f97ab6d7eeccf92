import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { AuxilError } from '../errors.js';
import { currentRequest } from '../request-context.js';

/**
 * Load shedding: at most `maxInFlight` API requests are handled at once; one more is refused at
 * once with 503 and Retry-After rather than queued, so an overloaded process answers fast and
 * clients back off instead of timing out.
 */
export function shedLoad(maxInFlight: number): RequestHandler {
  let inFlight = 0;
  return (_request, response, next) => {
    if (inFlight >= maxInFlight) {
      throw new AuxilError('overloaded', `the server is handling ${maxInFlight} requests already; retry in a second`, 1);
    }
    inFlight++;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      inFlight--;
    };
    response.once('finish', release);
    response.once('close', release);
    next();
  };
}

/** Requests per tenant per minute (after authentication): beyond the limit, 429 with Retry-After. */
export function limitPerTenant(perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: () => currentRequest()?.tenantId ?? 'anonymous',
    handler: (_request, _response, next, options) => {
      const retryAfter = Math.ceil(options.windowMs / 1000);
      next(
        new AuxilError(
          'rate_limited',
          `this tenant sent more than ${perMinute} requests in a minute; retry after ${retryAfter} s`,
          retryAfter,
        ),
      );
    },
  });
}
