import { pino, type Logger } from 'pino';
import { currentRequest } from './request-context.js';

export type { Logger };

/**
 * Structured JSON logs. Every line carries the request and tenant ids when there is a request,
 * and credentials are redacted wherever they appear.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'auxil' },
      redact: {
        paths: ['token', '*.token', 'authorization', '*.authorization', 'headers.authorization', 'req.headers.authorization'],
        censor: '[redacted]',
      },
      mixin() {
        const context = currentRequest();
        return context ? { requestId: context.requestId, tenantId: context.tenantId } : {};
      },
    },
    destination,
  );
}
