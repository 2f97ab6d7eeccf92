import { mkdtemp, rm } from 'node:fs/promises';
import { request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorBody, PushEvent, eventsPath, type ErrorCode } from '@auxil/protocol';
import WebSocket from 'ws';
import { DEFAULT_TENANT, issueToken } from '../src/auth/api-tokens.js';
import { loadConfig, type ConfigInput } from '../src/config.js';
import { createLogger } from '../src/logging.js';
import { startServer, type BackendServer } from '../src/server.js';

/** Longest a test waits for something that should happen at once; only reached when it never does. */
const WAIT_LIMIT_MS = 10_000;

/** A fresh temporary folder and the function that deletes it. */
export async function tempDir(prefix: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `auxil-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true, maxRetries: 3 }) };
}

/** The real backend (SQLite in a temporary data directory, port 0), with a token of the default tenant. */
export interface TestServer {
  readonly server: BackendServer;
  readonly url: string;
  readonly dataDir: string;
  readonly token: string;
  /** Stops the server, then deletes its data directory. */
  close(): Promise<void>;
}

export async function startTestServer(overrides: ConfigInput = {}, dataDir?: string): Promise<TestServer> {
  const dir = dataDir === undefined ? await tempDir('backend') : { path: dataDir, remove: () => Promise.resolve() };
  try {
    const config = loadConfig({ dataDir: dir.path, host: '127.0.0.1', port: 0, logLevel: 'silent', ...overrides }, {});
    const server = await startServer(config, { logger: createLogger('silent'), shutdownGraceMs: 500 });
    const { token } = await issueToken(server.services.store, DEFAULT_TENANT.id, 'test');
    return {
      server,
      url: server.url,
      dataDir: dir.path,
      token,
      close: async () => {
        await server.close();
        await dir.remove();
      },
    };
  } catch (error) {
    await dir.remove();
    throw error;
  }
}

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

/**
 * One HTTP request through node:http on its own connection, with the path sent exactly as given:
 * nothing resolves `..` or re-encodes it, as a hostile client would send it.
 */
export function rawRequest(
  baseUrl: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Uint8Array },
): Promise<RawResponse> {
  const base = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: base.hostname, port: base.port, method: options.method ?? 'GET', path: options.path, headers: options.headers, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

/** The error code of a response, after checking that its body is a valid `ErrorBody`. */
export function errorCode(response: { text: string }): ErrorCode {
  return ErrorBody.parse(JSON.parse(response.text)).error.code;
}

/**
 * A real WebSocket client on a project's event socket that records every event. `until` waits for
 * a condition over the record, re-checked whenever an event arrives: no polling, no sleeps.
 */
export class EventStream {
  readonly events: PushEvent[] = [];
  private readonly waiters = new Set<() => void>();
  private failure: Error | undefined;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: WebSocket.RawData) => {
      const text = Buffer.isBuffer(data)
        ? data.toString('utf8')
        : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString('utf8');
      const parsed = PushEvent.safeParse(JSON.parse(text));
      if (parsed.success) this.events.push(parsed.data);
      else this.failure ??= new Error(`the server sent a message that is not a PushEvent: ${text}`);
      this.notify();
    });
    ws.on('error', (error) => {
      this.failure ??= error;
      this.notify();
    });
    ws.on('close', () => this.notify());
  }

  /** Connects and waits for the `subscribed` event, after which the subscription is live. */
  static async open(baseUrl: string, project: string, token: string): Promise<EventStream> {
    const ws = new WebSocket(baseUrl.replace(/^http/, 'ws') + eventsPath(project), { headers: { Authorization: `Bearer ${token}` } });
    const stream = new EventStream(ws);
    await stream.until('the subscribed event', () => stream.events.some((event) => event.type === 'subscribed'));
    return stream;
  }

  /** Findings events only, in arrival order. */
  get findings() {
    return this.events.flatMap((event) => (event.type === 'findings' ? [event] : []));
  }

  until<T>(what: string, check: () => T | undefined | false): Promise<T> {
    return new Promise((resolve, reject) => {
      const attempt = (): boolean => {
        if (this.failure) {
          finish();
          reject(this.failure);
          return true;
        }
        const value = check();
        if (value !== undefined && value !== false) {
          finish();
          resolve(value);
          return true;
        }
        if (this.ws.readyState === WebSocket.CLOSED) {
          finish();
          reject(new Error(`the event socket closed while waiting for ${what}`));
          return true;
        }
        return false;
      };
      const finish = (): void => {
        clearTimeout(timer);
        this.waiters.delete(attempt);
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out waiting for ${what}; events so far: ${JSON.stringify(this.events)}`));
      }, WAIT_LIMIT_MS);
      if (!attempt()) this.waiters.add(attempt);
    });
  }

  /** Closes the socket and waits until it is closed. */
  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

/** Opens an event socket that the server is expected to refuse; returns the plain HTTP answer it got. */
export function refusedUpgrade(url: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.terminate();
      reject(new Error(`the server accepted the event socket at ${url}`));
    });
    ws.on('error', reject);
    ws.on('unexpected-response', (_request, response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }),
      );
    });
  });
}
