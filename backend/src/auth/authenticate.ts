import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { AuxilError } from '../errors.js';
import { currentRequest } from '../request-context.js';
import type { Store } from '../store/store.js';
import { verifyToken, type Caller } from './api-tokens.js';
import { requireScope, scopeForRequest } from './scopes.js';

/** The bearer token of a request, from `Authorization: Bearer <token>`. */
function bearerToken(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/**
 * Resolves the caller of a request to a tenant, or fails with `unauthenticated`. Used by the HTTP
 * routes and by the push channel's upgrade handler alike.
 */
export async function authenticate(store: Store, request: IncomingMessage): Promise<Caller> {
  const token = bearerToken(request);
  if (!token) {
    throw new AuxilError('unauthenticated', 'send an API token as "Authorization: Bearer <token>" (create one with `auxil admin token`)');
  }
  const caller = await verifyToken(store, token);
  if (!caller) throw new AuxilError('unauthenticated', 'the API token is not valid: it is malformed, revoked, or from another server');
  return caller;
}

/**
 * Express middleware: authenticates the request, refuses it when the token lacks the scope the
 * request needs (a read-only token cannot change files), records the tenant in the request context
 * and the caller in `response.locals.caller`.
 */
export function requireToken(store: Store) {
  return (request: Request, response: Response, next: NextFunction): void => {
    authenticate(store, request)
      .then((caller) => {
        const needed = scopeForRequest(request.method, request.originalUrl.split('?')[0] ?? '');
        if (needed) requireScope(caller.scopes, needed, 'this request');
        const context = currentRequest();
        if (context) Object.assign(context, { tenantId: caller.tenantId, tokenId: caller.tokenId });
        response.locals.caller = caller;
      })
      .then(() => next(), next);
  };
}
