import { AuxilError } from '../errors.js';
import type { TokenScope } from '../store/store.js';

/**
 * Requests that only ask questions although they are POSTs (the body carries the question, or
 * they start derived work without changing what the project holds).
 */
const READING_POSTS = [/^\/v1\/projects\/[^/]+\/similar$/, /^\/v1\/projects\/[^/]+\/analyses$/];

/**
 * The scope a request needs, undefined when any token will do: /mcp is one door for every tool,
 * whose tools check their own scope (a read-only token is offered only reading tools). For REST,
 * GETs and the reading POSTs need `read`; everything else changes what a project holds and needs
 * `write`. Unknown routes default to `write`, so a new mutating route is closed to read-only
 * tokens until someone says otherwise here.
 */
export function scopeForRequest(method: string, path: string): TokenScope | undefined {
  if (path === '/mcp') return undefined;
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return 'read';
  if (method === 'POST' && READING_POSTS.some((pattern) => pattern.test(path))) return 'read';
  return 'write';
}

/** Fails with `forbidden` unless the caller's token has the scope. */
export function requireScope(scopes: readonly TokenScope[], needed: TokenScope, what: string): void {
  if (!scopes.includes(needed)) {
    throw new AuxilError(
      'forbidden',
      `${what} needs a token with the "${needed}" scope; this token has ${scopes.map((scope) => `"${scope}"`).join(', ')} (create one with \`auxil admin token --scope ${needed}\`)`,
    );
  }
}
