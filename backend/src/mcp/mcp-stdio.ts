import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { pino } from 'pino';
import { existingDirectory, UsageError } from '../analysis/analyze-command.js';
import { DEFAULT_TENANT } from '../auth/api-tokens.js';
import { loadConfig } from '../config.js';
import { createLogger, type Logger } from '../logging.js';
import { startWorker } from '../server.js';
import { ALL_SCOPES } from '../store/store.js';
import { FolderSync } from './folder-sync.js';
import { createMcpServer } from './mcp-server.js';
import { bridgeToServer } from './remote-bridge.js';
import { parseToolsets } from './toolsets.js';

export interface McpCommandFlags {
  server?: string;
  project?: string;
  toolsets?: string;
  dataDir?: string;
}

/**
 * Logs go to standard error: in stdio mode standard output is the protocol channel, and one stray
 * line there breaks the client.
 */
function stderrLogger(): Logger {
  return createLogger(process.env.AUXIL_LOG_LEVEL ?? 'warn', pino.destination(2));
}

/** A project name for a folder: its base name made to fit the project-name rule. */
export function projectNameFor(folder: string): string {
  const name = basename(folder)
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 100);
  return name === '' ? 'project' : name;
}

/** Where the embedded mode keeps a folder's index between runs: the user's cache, one folder per served folder. */
function cacheDirFor(folder: string): string {
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'auxil', 'mcp', createHash('sha256').update(folder).digest('hex').slice(0, 16));
}

/** Resolves when stdin ends or the process is told to stop: the client has gone. */
function untilClientLeaves(): Promise<void> {
  return new Promise((done) => {
    process.stdin.once('end', done);
    process.stdin.once('close', done);
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

/**
 * Serves a local folder over stdio: an embedded backend (SQLite in the user's cache) indexes the
 * folder in this process and keeps the index equal to it before every tool call.
 */
async function serveFolder(folder: string, flags: McpCommandFlags, logger: Logger): Promise<void> {
  const root = folder;
  const config = loadConfig({ dataDir: flags.dataDir ?? cacheDirFor(root), role: 'all' });
  // A backend without an HTTP listener (the worker's parts: store, indexes, job queue): the agent
  // reaches it through stdio only.
  const backend = await startWorker(config, { logger });
  try {
    const project = flags.project ?? projectNameFor(root);
    const sync = new FolderSync(backend.services, DEFAULT_TENANT.id, project, root);
    // Indexing starts at once, before the client asks anything; the first tool call waits for it.
    sync.refresh().catch((error: unknown) => logger.error({ err: error }, 'indexing the folder failed; the next tool call retries'));
    const server = createMcpServer({
      services: backend.services,
      tenantId: DEFAULT_TENANT.id,
      scopes: ALL_SCOPES,
      toolsets: parseToolsets(flags.toolsets),
      defaultProject: project,
      beforeCall: () => sync.refresh(),
    });
    const left = untilClientLeaves();
    await server.connect(new StdioServerTransport());
    logger.info({ folder: root, project, dataDir: config.dataDir }, 'serving MCP over stdio');
    await left;
    await server.close();
  } finally {
    await backend.close();
  }
}

/** The backend URL of `--server` or AUXIL_SERVER, checked. */
function serverUrl(value: string): URL {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
    throw new UsageError(`--server is the backend's base URL, such as http://127.0.0.1:7600; "${value}" is not one`);
  }
  return url;
}

/**
 * `auxil mcp [folder]`: MCP over stdio, relayed to a backend (`--server` or AUXIL_SERVER, token
 * from AUXIL_TOKEN) or on a local folder (default: the current one). Returns once the client has gone.
 */
export async function mcpCommand(folder: string | undefined, flags: McpCommandFlags): Promise<void> {
  try {
    parseToolsets(flags.toolsets);
  } catch (error) {
    throw new UsageError(`--toolsets: ${(error as Error).message}`);
  }
  const logger = stderrLogger();
  const server = flags.server ?? process.env.AUXIL_SERVER;
  if (server === undefined || server === '') {
    await serveFolder(await existingDirectory(folder ?? process.cwd()), flags, logger);
    return;
  }
  const left = untilClientLeaves();
  const bridge = await bridgeToServer(new StdioServerTransport(), {
    server: serverUrl(server),
    token: process.env.AUXIL_TOKEN,
    toolsets: flags.toolsets,
    project: flags.project,
    logger,
  });
  await left;
  await bridge.close();
}
