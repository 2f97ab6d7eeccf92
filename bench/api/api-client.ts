// A small HTTP client for the backend suite: node:http with keep-alive connections, the bearer
// token, a timeout per request, and for every answer the client-measured time and the server's
// own (`Server-Timing: app;dur=`).
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import { serverTimingMs } from './api-helpers.js';

export interface ApiAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** From the request's start to the last byte of the answer, as the client saw it. */
  readonly clientMs: number;
  /** `Server-Timing: app;dur=`, when the server sent it. */
  readonly serverMs: number | undefined;
}

/** An answer outside 2xx. `status` 0: no answer at all (connection refused, reset, timeout). */
export class ApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: string,
    readonly retryAfterS?: number,
  ) {
    super(`${method} ${path} → ${status === 0 ? 'no answer' : status}: ${body.slice(0, 300)}`);
    this.name = 'ApiError';
  }
}

export interface RequestOptions {
  readonly body?: Buffer | string;
  readonly headers?: Record<string, string>;
  readonly timeoutMs?: number;
}

export class ApiClient {
  private readonly agent: Agent;

  constructor(
    readonly baseUrl: string,
    private readonly token: string,
    maxSockets = 16,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  close(): void {
    this.agent.destroy();
  }

  /** Sends a request; resolves with any answer the server gave (2xx or not), rejects with status 0 when none came. */
  send(method: string, path: string, options: RequestOptions = {}): Promise<ApiAnswer> {
    const url = new URL(path, this.baseUrl);
    const body = options.body === undefined ? undefined : Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body);
    const headers: Record<string, string> = { Authorization: `Bearer ${this.token}`, ...options.headers };
    if (body !== undefined) headers['Content-Length'] = String(body.length);
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const request = httpRequest(url, { method, headers, agent: this.agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error) => reject(new ApiError(method, path, 0, error.message)));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
            clientMs: performance.now() - started,
            serverMs: serverTimingMs(response.headers['server-timing']),
          }),
        );
      });
      request.setTimeout(options.timeoutMs ?? 120_000, () => {
        request.destroy(new Error(`no answer within ${(options.timeoutMs ?? 120_000) / 1000} s`));
      });
      request.on('error', (error) => reject(new ApiError(method, path, 0, error.message)));
      request.end(body);
    });
  }

  /** Sends a request and insists on 2xx; anything else is an {@link ApiError}. */
  async call(method: string, path: string, options: RequestOptions = {}): Promise<ApiAnswer> {
    const answer = await this.send(method, path, options);
    if (answer.status < 200 || answer.status > 299) {
      const retryAfter = Number(answer.headers['retry-after']);
      throw new ApiError(method, path, answer.status, answer.body.toString('utf8'), Number.isFinite(retryAfter) ? retryAfter : undefined);
    }
    return answer;
  }

  /** A 2xx JSON answer, parsed, with its timings. */
  async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<{ value: T; answer: ApiAnswer }> {
    const answer = await this.call(method, path, options);
    return { value: JSON.parse(answer.body.toString('utf8')) as T, answer };
  }
}
