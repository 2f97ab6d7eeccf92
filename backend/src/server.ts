import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ensureLocalToken } from './auth/local-token.js';
import type { Config } from './config.js';
import { createApp } from './http/app.js';
import { createLogger, type Logger } from './logging.js';
import { ProjectIndexes } from './projects/project-index.js';
import { EventsSocket } from './push/events-socket.js';
import { PushHub } from './push/push-hub.js';
import type { Services } from './services.js';
import { SqliteStore } from './store/sqlite/sqlite-store.js';

/** A running backend. */
export interface BackendServer {
  /** Base URL clients connect to, e.g. http://127.0.0.1:7600. */
  readonly url: string;
  readonly services: Services;
  /** Stops accepting work, lets in-flight requests finish (up to a grace period), then releases everything. */
  close(): Promise<void>;
}

export interface StartOptions {
  readonly logger?: Logger;
  /** How long `close()` waits for in-flight requests before cutting connections. */
  readonly shutdownGraceMs?: number;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** The embedded SQLite database file inside a data directory. */
export function databaseFile(dataDir: string): string {
  return join(dataDir, 'auxil.db');
}

function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** Starts the backend in embedded mode: SQLite under the data directory, analysis in process. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<BackendServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const store = SqliteStore.open(databaseFile(config.dataDir));
  try {
    const localTokenFile = await ensureLocalToken(store, config.dataDir);
    const services: Services = {
      config,
      logger,
      store,
      indexes: new ProjectIndexes(store, { minTokens: config.minTokens, minLines: config.minLines }),
      push: new PushHub(),
      localTokenFile: LOOPBACK.has(config.host) ? localTokenFile : undefined,
    };
    const server = createServer(createApp(services));
    server.requestTimeout = 60_000;
    server.headersTimeout = 15_000;
    const events = new EventsSocket(services, server);
    const address = await listen(server, config.host, config.port);
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `http://${host}:${address.port}`;
    logger.info({ url, dataDir: config.dataDir }, 'listening');

    let closing: Promise<void> | undefined;
    const close = (): Promise<void> => {
      closing ??= (async () => {
        events.close();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const grace = setTimeout(() => server.closeAllConnections(), options.shutdownGraceMs ?? 5000);
        await stopped;
        clearTimeout(grace);
        await store.close();
        logger.info('stopped');
      })();
      return closing;
    };
    return { url, services, close };
  } catch (error) {
    await store.close();
    throw error;
  }
}
