import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ensureLocalToken } from './auth/local-token.js';
import type { Config } from './config.js';
import { createApp } from './http/app.js';
import { createLogger, type Logger } from './logging.js';
import { PreparePool } from './analysis/engine-threads.js';
import { ProjectIndexes } from './projects/project-index.js';
import { EventsSocket } from './push/events-socket.js';
import { PushHub } from './push/push-hub.js';
import type { Services } from './services.js';
import { BatchAnalysis } from './analyses/batch-analysis.js';
import { DEFAULT_TENANT } from './auth/api-tokens.js';
import type { JobQueue } from './queue/job-queue.js';
import { openQueue } from './queue/open-queue.js';
import { openStore } from './store/open-store.js';

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

/** The store, queue and analysis parts a process needs, whatever its role. */
async function openServices(config: Config, logger: Logger): Promise<Services> {
  const embeddedStore = config.store === undefined;
  const store = await openStore(config.store ?? `sqlite:${databaseFile(config.dataDir)}`);
  let queue: JobQueue | undefined;
  try {
    queue = await openQueue(config.queue, {
      namespace: config.queueNamespace,
      onError: (error) => logger.warn({ err: error }, 'job queue error'),
    });
    const localTokenFile = embeddedStore ? await ensureLocalToken(store, config.dataDir) : undefined;
    if (!embeddedStore) await store.tenants.ensure(DEFAULT_TENANT.id, DEFAULT_TENANT.name);
    const prepare = new PreparePool(config.threads);
    const clones = { minTokens: config.minTokens, minLines: config.minLines };
    const push = new PushHub();
    const indexes = new ProjectIndexes(store, { clones, threads: config.threads, prepare });
    return {
      config,
      logger,
      store,
      queue,
      push,
      mode: embeddedStore && config.queue === 'local' ? 'embedded' : 'distributed',
      indexes,
      analyses: new BatchAnalysis({
        store,
        queue,
        clones,
        threads: config.threads,
        prepare,
        logger,
        push,
        live: indexes,
        shardLockMs: config.shardLockMs,
      }),
      localTokenFile: LOOPBACK.has(config.host) ? localTokenFile : undefined,
    };
  } catch (error) {
    await queue?.stop();
    await store.close();
    throw error;
  }
}

/** Stops taking jobs (running ones finish), then releases indexes, threads and the store. */
async function closeServices(services: Services): Promise<void> {
  await services.queue.stop({ timeoutMs: 10_000 });
  await services.indexes.close();
  await services.store.close();
}

/** A process that only runs batch jobs (`auxil worker`, or `serve --role worker`): no HTTP listener. */
export interface BackendWorker {
  readonly services: Services;
  close(): Promise<void>;
}

export async function startWorker(config: Config, options: StartOptions = {}): Promise<BackendWorker> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const services = await openServices(config, logger);
  services.analyses.defineJobs();
  await services.queue.start();
  logger.info({ queue: services.queue.kind }, 'worker started');
  let closing: Promise<void> | undefined;
  return { services, close: () => (closing ??= closeServices(services)) };
}

/**
 * Starts the backend: by default embedded (SQLite under the data directory, jobs on in-process
 * threads); with a store and queue URL, one api (and, with role all, worker) process of a
 * distributed deployment.
 */
export async function startServer(config: Config, options: StartOptions = {}): Promise<BackendServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const services = await openServices(config, logger);
  try {
    if (config.role !== 'api') {
      services.analyses.defineJobs();
      await services.queue.start();
    }
    const server = createServer(createApp(services));
    server.requestTimeout = 60_000;
    server.headersTimeout = 15_000;
    // Idle keep-alive connections are kept longer than clients and load balancers keep theirs
    // (60 s is the common idle timeout): with Node's 5 s, a client reusing a connection at the
    // moment the server drops it gets ECONNRESET on a request the server never saw.
    server.keepAliveTimeout = 65_000;
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
        await closeServices(services);
        logger.info('stopped');
      })();
      return closing;
    };
    return { url, services, close };
  } catch (error) {
    await closeServices(services);
    throw error;
  }
}
