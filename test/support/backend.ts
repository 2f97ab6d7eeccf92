import { DEFAULT_TENANT, createLogger, issueToken, loadConfig, startServer, type BackendServer } from '@auxil/backend';

export interface TestBackend {
  readonly server: BackendServer;
  readonly url: string;
  /** A fresh API token of the default tenant. */
  readonly token: string;
  close(): Promise<void>;
}

/** The real backend, embedded (SQLite in `dataDir`), on `port` (0: any free port), logging nothing. */
export async function startBackend(dataDir: string, port = 0): Promise<TestBackend> {
  const config = loadConfig({ dataDir, port, host: '127.0.0.1', logLevel: 'silent' }, {});
  const server = await startServer(config, { logger: createLogger('silent'), shutdownGraceMs: 500 });
  const { token } = await issueToken(server.services.store, DEFAULT_TENANT.id, 'test');
  return { server, url: server.url, token, close: () => server.close() };
}
