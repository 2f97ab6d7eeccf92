import { z } from 'zod';
import { FileFindings } from './findings.js';

/**
 * Stable error codes of the HTTP API. Clients branch on these, never on messages, so a code is
 * never renamed once published.
 */
export const ErrorCode = z.enum([
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'invalid_request',
  'invalid_path',
  'invalid_project',
  'invalid_encoding',
  'payload_too_large',
  'unsupported_media_type',
  'method_not_allowed',
  'rate_limited',
  'overloaded',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** The body of every error response. */
export const ErrorBody = z.object({
  error: z.object({ code: ErrorCode, message: z.string() }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** `GET /healthz` (backend → anyone): the process is alive. */
export const HealthResponse = z.object({
  status: z.literal('ok'),
  version: z.string(),
  mode: z.enum(['embedded', 'distributed']),
  /**
   * Only when the server listens on a loopback address: the file holding the local token, readable
   * only by the user who started the server. Local clients of that user read it instead of asking
   * for a token; the path itself grants nothing.
   */
  localTokenFile: z.string().optional(),
});
export type HealthResponse = z.infer<typeof HealthResponse>;

/** `PUT /v1/projects/:project/files/*path` (backend → client): the stored file's findings. */
export const PutFileResponse = FileFindings.extend({
  /** Other files whose findings changed with this update; their findings go out on the push channel. */
  affected: z.number().int().min(0),
});
export type PutFileResponse = z.infer<typeof PutFileResponse>;

/** Largest file body the backend accepts, in bytes (documented in docs/api.md). */
export const MAX_FILE_BYTES = 1024 * 1024;
