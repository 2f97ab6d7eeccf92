import { readFile } from 'node:fs/promises';
import { HealthResponse } from '@auxil/protocol';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { UsageError } from '../analysis/analyze-command.js';
import type { Logger } from '../logging.js';

export interface BridgeOptions {
  /** The backend's base URL, e.g. http://127.0.0.1:7600. */
  readonly server: URL;
  /** An API token; without one, a backend on this machine is asked for its local token. */
  readonly token?: string | undefined;
  readonly toolsets?: string | undefined;
  readonly project?: string | undefined;
  readonly logger: Logger;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The token to send: the one given, else (for a backend on this machine) the local token file it
 * names on /healthz, which only the user who started it can read.
 */
async function tokenFor(options: BridgeOptions): Promise<string> {
  if (options.token) return options.token;
  if (LOOPBACK.has(options.server.hostname)) {
    const response = await fetch(new URL('/healthz', options.server), { signal: AbortSignal.timeout(5000) }).catch((error: unknown) => {
      throw new UsageError(`cannot reach the Auxil server at ${options.server.origin}: ${(error as Error).message}`);
    });
    const health = HealthResponse.safeParse(await response.json().catch(() => undefined));
    const file = health.success ? health.data.localTokenFile : undefined;
    const token = file === undefined ? undefined : (await readFile(file, 'utf8').catch(() => undefined))?.trim();
    if (token) return token;
  }
  throw new UsageError('set AUXIL_TOKEN to an API token of that server (create one with `auxil admin token --scope read`)');
}

/**
 * `auxil mcp --server URL`: relays MCP messages between stdio and the backend's /mcp endpoint
 * unchanged, so every tool runs on the server and the stdio door behaves exactly as HTTP does. A
 * request the server cannot be reached for is answered with a JSON-RPC error, never left hanging.
 */
export async function bridgeToServer(local: StdioServerTransport, options: BridgeOptions): Promise<{ close: () => Promise<void> }> {
  const token = await tokenFor(options);
  const url = new URL('/mcp', options.server);
  if (options.toolsets) url.searchParams.set('toolsets', options.toolsets);
  if (options.project) url.searchParams.set('project', options.project);
  const remote = new StreamableHTTPClientTransport(url, { requestInit: { headers: { Authorization: `Bearer ${token}` } } });
  const answerFailure = (message: JSONRPCMessage, error: unknown): void => {
    options.logger.warn({ err: error }, 'Auxil server request failed');
    if (!('method' in message) || !('id' in message)) return;
    const reason = error instanceof Error ? error.message : String(error);
    void local.send({
      jsonrpc: '2.0',
      id: message.id,
      error: { code: -32603, message: `the Auxil server at ${options.server.origin} failed: ${reason}` },
    });
  };
  local.onmessage = (message) => {
    remote.send(message).catch((error: unknown) => answerFailure(message, error));
  };
  remote.onmessage = (message) => {
    void local.send(message);
  };
  remote.onerror = (error) => options.logger.warn({ err: error }, 'Auxil server connection error');
  await remote.start();
  await local.start();
  return {
    close: async () => {
      await local.close();
      await remote.close();
    },
  };
}
