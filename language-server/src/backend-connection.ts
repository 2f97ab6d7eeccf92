import {
  ErrorBody,
  PushEvent,
  PutFileResponse,
  eventsPath,
  filePath,
  type AnalysisEvent,
  type ConnectionState,
  type FindingsEvent,
  type IndexChangedEvent,
  type ServerSettings,
} from '@auxil/protocol';
import WebSocket from 'ws';
import type { z } from 'zod';
import { discoverLocalToken, isLoopback } from './local-token.js';

/** What the connection reports to the rest of the server. */
export interface ConnectionListener {
  /** The connection state changed; `detail` says why, in words for a tooltip. */
  status(state: ConnectionState, detail: string): void;
  /** The event stream is (re)established: everything sent while offline must be sent again. */
  subscribed(): void;
  /** Another change (ours or a teammate's) updated a file's findings. */
  findings(event: FindingsEvent): void;
  /** Many files changed at once, or something besides files did (a suppression). */
  indexChanged(event: IndexChangedEvent): void;
  /** A batch analysis advanced or finished. */
  analysis(event: AnalysisEvent): void;
  log(message: string): void;
}

/** Outcome of a request: the parsed answer, or why there is none (`detail` in words for a person). */
export type CallResult<T> = { ok: true; value: T } | { ok: false; reason: 'offline' | 'rejected'; detail: string };
export type PutResult = CallResult<PutFileResponse>;

export interface CallOptions {
  readonly body?: string | Uint8Array;
  readonly headers?: Record<string, string>;
  readonly signal?: AbortSignal;
}

/**
 * The language server's link to the backend: HTTP for uploads, a WebSocket for pushed findings,
 * and reconnection with exponential backoff whenever the socket drops. While offline, uploads
 * report `offline` and the caller resends on the next `subscribed`.
 */
export class BackendConnection {
  private socket: WebSocket | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private attempts = 0;
  private state: ConnectionState = 'connecting';
  private disposed = false;
  /** The token in use: from the settings, or found on this machine for a local backend. */
  private token: string | undefined;

  constructor(
    private readonly settings: ServerSettings,
    readonly project: string,
    private readonly listener: ConnectionListener,
  ) {}

  get connected(): boolean {
    return this.state === 'connected';
  }

  start(): void {
    if (!this.settings.token && !isLoopback(this.settings.serverUrl)) {
      this.setState('signedOut', `no API token for ${this.settings.serverUrl}: run "Auxil: Sign In"`);
      return;
    }
    void this.open();
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.reconnectTimer);
    this.dropSocket();
  }

  putFile(path: string, text: string): Promise<PutResult> {
    return this.call(PutFileResponse, 'PUT', filePath(this.project, path), {
      body: text,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  }

  /** Sends JSON and parses the answer with `schema`. */
  json<S extends z.ZodType>(
    schema: S,
    method: string,
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<CallResult<z.output<S>>> {
    return this.call(schema, method, path, {
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      ...(signal ? { signal } : {}),
    });
  }

  /**
   * One request to the backend, parsed with `schema`. A network failure, a 5xx or a 429 marks the
   * connection lost (the reconnection resyncs); a rejected token signs out; any other refusal is
   * `rejected` with the backend's message.
   */
  async call<S extends z.ZodType>(schema: S, method: string, path: string, options: CallOptions = {}): Promise<CallResult<z.output<S>>> {
    if (this.state !== 'connected') return { ok: false, reason: 'offline', detail: `not connected to ${this.settings.serverUrl}` };
    let response: Response;
    try {
      response = await fetch(new URL(path, this.settings.serverUrl), {
        method,
        headers: { authorization: `Bearer ${this.token ?? ''}`, ...options.headers },
        ...(options.body === undefined ? {} : { body: options.body }),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      if (options.signal?.aborted) return { ok: false, reason: 'rejected', detail: 'cancelled' };
      const detail = `cannot reach ${this.settings.serverUrl}: ${error instanceof Error ? error.message : String(error)}`;
      this.lost(detail);
      return { ok: false, reason: 'offline', detail };
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (response.ok) {
      const parsed = schema.safeParse(body);
      if (parsed.success) return { ok: true, value: parsed.data };
      this.listener.log(`unexpected answer to ${method} ${path}: ${parsed.error.message}`);
      return { ok: false, reason: 'rejected', detail: 'the backend answered in an unexpected shape (is it a matching version?)' };
    }
    const error = ErrorBody.safeParse(body);
    const detail = error.success ? `${error.data.error.code}: ${error.data.error.message}` : `HTTP ${response.status}`;
    if (response.status === 401) {
      this.rejected(`the backend rejected the API token (${detail})`);
      return { ok: false, reason: 'offline', detail };
    }
    if (response.status >= 500 || response.status === 429) {
      this.lost(`the backend failed (${detail})`);
      return { ok: false, reason: 'offline', detail };
    }
    this.listener.log(`${method} ${path} was refused: ${detail}`);
    return { ok: false, reason: 'rejected', detail };
  }

  private async open(): Promise<void> {
    if (this.disposed) return;
    this.setState('connecting', `connecting to ${this.settings.serverUrl}`);
    try {
      this.token = this.settings.token ?? (await discoverLocalToken(this.settings.serverUrl));
    } catch (error) {
      this.lost(`cannot reach ${this.settings.serverUrl}: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (this.disposed) return;
    if (!this.token) {
      this.signOut(`no API token for ${this.settings.serverUrl}: run "Auxil: Sign In" (create one with "auxil admin token")`);
      return;
    }
    const url = new URL(eventsPath(this.project), this.settings.serverUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(url, { headers: { authorization: `Bearer ${this.token}` }, handshakeTimeout: 10_000 });
    this.socket = socket;

    socket.on('unexpected-response', (_request, response) => {
      if (response.statusCode === 401) this.rejected('the backend rejected the API token');
      else this.lost(`the backend refused the event stream (HTTP ${response.statusCode ?? '?'})`);
      socket.terminate();
    });
    socket.on('message', (data) => this.receive(data));
    socket.on('error', (error) => this.lost(`cannot reach ${this.settings.serverUrl}: ${error.message}`));
    socket.on('close', () => this.lost(`lost the connection to ${this.settings.serverUrl}`));
  }

  private receive(data: WebSocket.RawData): void {
    let event: PushEvent;
    try {
      const text = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      event = PushEvent.parse(JSON.parse(text.toString('utf8')));
    } catch {
      this.listener.log('ignored a malformed event from the backend');
      return;
    }
    if (event.type === 'subscribed') {
      this.attempts = 0;
      this.setState('connected', `connected to ${this.settings.serverUrl} (project ${this.project})`);
      this.listener.subscribed();
    } else if (event.type === 'findings') {
      this.listener.findings(event);
    } else if (event.type === 'index-changed') {
      this.listener.indexChanged(event);
    } else {
      this.listener.analysis(event);
    }
  }

  /** Drops the current socket and schedules the next attempt, unless signed out or disposed. */
  private lost(detail: string): void {
    if (this.disposed || this.state === 'signedOut') return;
    this.dropSocket();
    if (this.reconnectTimer) return;
    const delay = Math.min(this.settings.reconnectMaxMs, this.settings.reconnectMinMs * 2 ** this.attempts);
    this.attempts++;
    this.setState('offline', `${detail}; retrying in ${Math.round(delay / 100) / 10}s`);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.open();
    }, delay);
  }

  /**
   * A token the user gave stays rejected until they give another; a discovered local token may be
   * replaced by the server (a new data directory), so discovery simply runs again on the next try.
   */
  private rejected(detail: string): void {
    if (this.settings.token) this.signOut(detail);
    else this.lost(detail);
  }

  private signOut(detail: string): void {
    this.setState('signedOut', detail);
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.dropSocket();
  }

  /** Closes the current socket without letting its late events reach us. */
  private dropSocket(): void {
    const socket = this.socket;
    this.socket = undefined;
    socket?.removeAllListeners();
    socket?.on('error', () => undefined);
    socket?.terminate();
  }

  private setState(state: ConnectionState, detail: string): void {
    this.state = state;
    this.listener.status(state, detail);
  }
}
