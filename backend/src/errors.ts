import type { ErrorCode } from '@auxil/protocol';

const statusByCode: Record<ErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  method_not_allowed: 405,
  invalid_request: 400,
  invalid_path: 400,
  invalid_project: 400,
  invalid_encoding: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  overloaded: 503,
  internal: 500,
};

/**
 * The one error type of the backend: a stable code clients can branch on, the HTTP status it maps
 * to, and a message a person can act on. Every door (HTTP, push channel, CLI) renders it the same.
 */
export class AuxilError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** For `rate_limited` and `overloaded`: seconds after which a retry may succeed (sent as Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'AuxilError';
    this.status = statusByCode[code];
  }
}
