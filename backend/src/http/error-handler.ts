import type { ErrorBody, ErrorCode } from '@auxil/protocol';
import type { NextFunction, Request, Response } from 'express';
import { AuxilError } from '../errors.js';
import type { Logger } from '../logging.js';

interface HttpLikeError {
  limit?: unknown;
  status?: unknown;
  statusCode?: unknown;
  type?: unknown;
  expose?: unknown;
}

/**
 * Errors raised by express and body-parser before our code runs (oversize or unreadable bodies,
 * malformed URLs) become the same stable codes as our own.
 */
function fromFrameworkError(error: HttpLikeError, maxFileBytes: number): AuxilError | undefined {
  const status = typeof error.status === 'number' ? error.status : typeof error.statusCode === 'number' ? error.statusCode : 0;
  if (status < 400 || status >= 500) return undefined;
  const limit = typeof error.limit === 'number' ? error.limit : maxFileBytes;
  const known: Record<string, [ErrorCode, string]> = {
    'entity.too.large': ['payload_too_large', `the request body is larger than the limit of ${limit} bytes`],
    'entity.parse.failed': ['invalid_request', 'the request body is not valid JSON'],
    'encoding.unsupported': ['unsupported_media_type', 'the Content-Encoding is not supported; send identity, gzip or deflate'],
    'charset.unsupported': ['unsupported_media_type', 'the charset is not supported; send UTF-8'],
    'request.aborted': ['invalid_request', 'the request was aborted before its body arrived'],
    'request.size.invalid': ['invalid_request', 'the request body does not match its Content-Length'],
  };
  const mapped = typeof error.type === 'string' ? known[error.type] : undefined;
  if (mapped) return new AuxilError(...mapped);
  if (status === 413) return new AuxilError('payload_too_large', `the request body is larger than the limit of ${limit} bytes`);
  if (status === 415) return new AuxilError('unsupported_media_type', 'the request body has an unsupported media type or encoding');
  return new AuxilError('invalid_request', 'the request is malformed (check the URL encoding and the body)');
}

/** The one express error handler: every failure leaves as `{error: {code, message}}`. */
export function errorHandler(logger: Logger, maxFileBytes: number) {
  return (error: unknown, _request: Request, response: Response, _next: NextFunction): void => {
    const known =
      error instanceof AuxilError
        ? error
        : typeof error === 'object' && error !== null
          ? fromFrameworkError(error, maxFileBytes)
          : undefined;
    const failure = known ?? new AuxilError('internal', 'Auxil failed to handle this request; the server log has the details');
    if (!known) logger.error({ err: error }, 'unhandled error');
    if (response.headersSent) {
      response.destroy();
      return;
    }
    if (failure.code === 'unauthenticated') response.setHeader('WWW-Authenticate', 'Bearer realm="auxil"');
    if (failure.retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(failure.retryAfterSeconds));
    const body: ErrorBody = { error: { code: failure.code, message: failure.message } };
    response.status(failure.status).json(body);
  };
}
