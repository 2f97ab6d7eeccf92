import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorBody, PushEvent } from '@auxil/protocol';
import { WebSocketServer, type WebSocket } from 'ws';
import { authenticate } from '../auth/authenticate.js';
import { AuxilError } from '../errors.js';
import { projectParam } from '../projects/project-routes.js';
import type { Services } from '../services.js';

const EVENTS_PATH = /^\/v1\/projects\/([^/]+)\/events$/;
const HEARTBEAT_MS = 30_000;
/** Clients only listen on this socket; anything they send is tiny or a mistake. */
const MAX_INBOUND_BYTES = 4096;

function refuse(socket: Duplex, error: AuxilError): void {
  const body = JSON.stringify({ error: { code: error.code, message: error.message } } satisfies ErrorBody);
  const reason = STATUS_CODES[error.status] ?? 'Error';
  const extra = error.status === 401 ? 'WWW-Authenticate: Bearer realm="auxil"\r\n' : '';
  socket.end(
    `HTTP/1.1 ${error.status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}Connection: close\r\n\r\n${body}`,
  );
}

/**
 * The push channel: a WebSocket per client and project at `GET /v1/projects/:project/events`,
 * authenticated like every other /v1 request. WebSocket rather than SSE because one connection
 * per client carries every event now and will carry edits upstream later.
 */
export class EventsSocket {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_INBOUND_BYTES });
  private readonly heartbeat: NodeJS.Timeout;
  private readonly alive = new WeakSet<WebSocket>();

  constructor(
    private readonly services: Services,
    server: Server,
  ) {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', () => socket.destroy());
      this.upgrade(request, socket, head).catch((error: unknown) => {
        refuse(socket, error instanceof AuxilError ? error : new AuxilError('internal', 'could not open the event stream'));
        if (!(error instanceof AuxilError)) services.logger.error({ err: error }, 'event socket upgrade failed');
      });
    });
    this.heartbeat = setInterval(() => this.sweep(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private async upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://auxil.invalid');
    const match = EVENTS_PATH.exec(url.pathname);
    if (!match) throw new AuxilError('not_found', 'no event stream at this path; use /v1/projects/<project>/events');
    let project: string;
    try {
      project = projectParam(decodeURIComponent(match[1] as string));
    } catch (error) {
      throw error instanceof AuxilError ? error : new AuxilError('invalid_project', 'the project name is not valid URL encoding');
    }
    const { tenantId } = await authenticate(this.services.store, request);
    this.wss.handleUpgrade(request, socket, head, (ws) => this.attach(ws, tenantId, project));
  }

  private attach(ws: WebSocket, tenantId: string, project: string): void {
    const send = (event: PushEvent): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(event));
    };
    const unsubscribe = this.services.push.subscribe(tenantId, project, { send });
    this.alive.add(ws);
    ws.on('pong', () => this.alive.add(ws));
    ws.on('error', () => ws.terminate());
    ws.on('close', unsubscribe);
    send({ type: 'subscribed', project });
  }

  /** Drops clients that did not answer the last ping: their connection is gone without a close. */
  private sweep(): void {
    for (const ws of this.wss.clients) {
      if (!this.alive.has(ws)) {
        ws.terminate();
        continue;
      }
      this.alive.delete(ws);
      ws.ping();
    }
  }

  /** Closes every client socket with "going away", so clients reconnect elsewhere. */
  close(): void {
    clearInterval(this.heartbeat);
    for (const ws of this.wss.clients) ws.close(1001, 'server shutting down');
    this.wss.close();
  }
}
