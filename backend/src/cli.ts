#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import { analyzeCommand, UsageError, type AnalyzeFlags } from './analysis/analyze-command.js';
import { conventionsCommand, similarCommand, symbolsCommand } from './analysis/project-commands.js';
import { DEFAULT_TENANT, issueToken } from './auth/api-tokens.js';
import { mcpCommand, type McpCommandFlags } from './mcp/mcp-stdio.js';
import { ConfigError, loadConfig, type ConfigInput } from './config.js';
import { databaseFile, startServer, startWorker } from './server.js';
import { openStore } from './store/open-store.js';
import { ALL_SCOPES, type Store, type TokenScope } from './store/store.js';
import { VERSION } from './version.js';

interface CommonFlags {
  dataDir?: string;
}

function integer(min: number, max: number, what: string) {
  return (value: string): number => {
    const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isInteger(parsed) || parsed < min || parsed > max)
      throw new InvalidArgumentError(`${what} is an integer from ${min} to ${max}`);
    return parsed;
  };
}

const port = integer(0, 65535, 'a port');

function cloneTypes(value: string): (1 | 2 | 3)[] {
  const types = value.split(',').map((part) => part.trim());
  if (types.length === 0 || types.some((type) => !['1', '2', '3'].includes(type))) {
    throw new InvalidArgumentError('clone types are a comma-separated list of 1, 2 and 3, e.g. 1,2');
  }
  return [...new Set(types.map(Number) as (1 | 2 | 3)[])].sort();
}

function fraction(min: number, max: number, what: string) {
  return (value: string): number => {
    const parsed = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
    if (!(parsed >= min && parsed <= max)) throw new InvalidArgumentError(`${what} is a number from ${min} to ${max}`);
    return parsed;
  };
}

interface ServeFlags extends CommonFlags {
  host?: string;
  port?: number;
  store?: string;
  queue?: string;
  role?: 'all' | 'api' | 'worker';
}

function stopOnSignals(close: () => Promise<void>): void {
  const stop = (signal: string): void => {
    process.stdout.write(`${signal}: shutting down\n`);
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function worker(flags: ServeFlags): Promise<void> {
  const config = loadConfig({ dataDir: flags.dataDir, store: flags.store, queue: flags.queue, role: 'worker' });
  const running = await startWorker(config);
  process.stdout.write(`Auxil ${VERSION} worker running jobs from the ${running.services.queue.kind} queue\n`);
  stopOnSignals(() => running.close());
}

async function serve(flags: ServeFlags): Promise<void> {
  const overrides: ConfigInput = {
    dataDir: flags.dataDir,
    host: flags.host,
    port: flags.port,
    store: flags.store,
    queue: flags.queue,
    role: flags.role,
  };
  const config = loadConfig(overrides);
  if (config.role === 'worker') return worker(flags);
  const server = await startServer(config);
  const tokenFile = server.services.localTokenFile;
  process.stdout.write(
    [
      `Auxil ${VERSION} listening on ${server.url} (embedded: SQLite at ${databaseFile(config.dataDir)})`,
      tokenFile
        ? `Local token: ${tokenFile} (the VS Code extension finds it by itself; scripts send "Authorization: Bearer $(cat ${tokenFile})")`
        : 'Create an API token for clients with: auxil admin token',
      '',
    ].join('\n'),
  );
  stopOnSignals(() => server.close());
}

const TENANT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Opens the configured store for an admin command, runs `task`, and closes it. */
async function withStore(flags: CommonFlags & { store?: string }, task: (store: Store) => Promise<void>): Promise<void> {
  const config = loadConfig({ dataDir: flags.dataDir, store: flags.store });
  const store = await openStore(config.store ?? `sqlite:${databaseFile(config.dataDir)}`);
  try {
    await task(store);
  } finally {
    await store.close();
  }
}

async function adminToken(flags: CommonFlags & { name: string; store?: string; tenant?: string; scope?: TokenScope[] }): Promise<void> {
  await withStore(flags, async (store) => {
    const tenantId = flags.tenant ?? DEFAULT_TENANT.id;
    if (flags.tenant === undefined) await store.tenants.ensure(DEFAULT_TENANT.id, DEFAULT_TENANT.name);
    else if (!(await store.tenants.get(tenantId))) {
      throw new UsageError(`there is no tenant "${tenantId}"; create it first with: auxil admin tenant create ${tenantId}`);
    }
    const { token } = await issueToken(store, tenantId, flags.name, flags.scope);
    process.stdout.write(`${token}\n`);
  });
}

async function adminTenantCreate(id: string, flags: CommonFlags & { name?: string; store?: string }): Promise<void> {
  if (!TENANT_ID.test(id)) throw new UsageError('a tenant id is 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit');
  await withStore(flags, async (store) => {
    const tenant = await store.tenants.ensure(id, flags.name ?? id);
    process.stdout.write(`tenant ${tenant.id} (${tenant.name})\n`);
  });
}

const program = new Command('auxil')
  .description('Auxil: a live index of your codebases — duplicates, conventions, templates.')
  .version(VERSION)
  .showHelpAfterError()
  // An invalid flag value is a configuration error like an invalid environment variable, and
  // exits 2 as docs/configuration.md says (commander's own default is 1); help and version exit 0.
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

program
  .command('serve')
  .description('start the backend (embedded mode: SQLite in the data directory)')
  .option('--host <address>', 'address to listen on (env AUXIL_HOST, default 127.0.0.1)')
  .option('--port <port>', 'port to listen on, 0 for any free one (env AUXIL_PORT, default 7600)', port)
  .option('--data-dir <dir>', 'data directory (env AUXIL_DATA_DIR, default ./.auxil)')
  .option('--store <url>', 'store: sqlite:<file> or mongodb://… (env AUXIL_STORE, default SQLite in the data directory)')
  .option('--queue <url>', 'job queue: local, mongodb://…, postgres://… or redis://… (env AUXIL_QUEUE, default local)')
  .addOption(
    new Option('--role <role>', 'api and jobs (all), api only, or jobs only (worker) (env AUXIL_ROLE)').choices(['all', 'api', 'worker']),
  )
  .action(serve);

program
  .command('worker')
  .description('run batch analysis jobs from a shared queue (distributed mode); no HTTP listener')
  .option('--data-dir <dir>', 'data directory (env AUXIL_DATA_DIR, default ./.auxil)')
  .option('--store <url>', 'store: sqlite:<file> or mongodb://… (env AUXIL_STORE)')
  .option('--queue <url>', 'job queue: mongodb://…, postgres://… or redis://… (env AUXIL_QUEUE)')
  .action(worker);

program
  .command('analyze')
  .description('find duplicated code in a folder (Type-1, Type-2 and near-miss Type-3 clones)')
  .argument('<dir>', 'folder to analyse')
  .addOption(new Option('--format <format>', 'report format').choices(['text', 'json', 'sarif']).default('text'))
  .option('--output <file>', 'write the report to a file instead of standard output')
  .option('--min-tokens <n>', 'shortest reported copy, in tokens', integer(10, 10_000, '--min-tokens'), 50)
  .option('--min-lines <n>', 'shortest reported copy, in lines', integer(1, 10_000, '--min-lines'), 5)
  .option('--types <list>', 'clone types to report: 1 identical, 2 renamed, 3 near-miss', cloneTypes, [1, 2, 3])
  .option('--min-similarity <fraction>', 'least similarity of a reported near-miss copy', fraction(0.5, 1, '--min-similarity'), 0.75)
  .option('--ignore <pattern...>', 'leave out files matching these .gitignore-style patterns (relative to <dir>)')
  .option('--threshold <percent>', 'exit with 1 when more than this share of lines is duplicated', fraction(0, 100, '--threshold'))
  .option('--changed-since <ref>', 'report only clone classes involving code changed since this git ref')
  .option('--no-default-ignores', 'also analyse node_modules, vendor folders, *.min.js and *.bundle.js')
  .option('--max-file-bytes <n>', 'skip larger files as too-large', integer(1024, 1024 ** 3, '--max-file-bytes'), 1024 * 1024)
  .option('--no-gitignore', 'also analyse files that .gitignore excludes')
  .option('--threads <n>', 'worker threads (default: one per core)', integer(1, 256, '--threads'))
  .action(async (dir: string, flags: AnalyzeFlags) => {
    process.exitCode = await analyzeCommand(dir, flags);
  });

/** Flags every folder-reading command shares. */
function withScanFlags(command: Command): Command {
  return command
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--ignore <pattern...>', 'leave out files matching these .gitignore-style patterns (relative to <dir>)')
    .option('--no-default-ignores', 'also read node_modules, vendor folders, *.min.js and *.bundle.js')
    .option('--max-file-bytes <n>', 'skip larger files as too-large', integer(1024, 1024 ** 3, '--max-file-bytes'), 1024 * 1024)
    .option('--no-gitignore', 'also read files that .gitignore excludes')
    .option('--threads <n>', 'worker threads (default: one per core)', integer(1, 256, '--threads'));
}

const symbolKinds = ['function', 'method', 'class', 'interface', 'type', 'enum', 'struct', 'trait', 'module', 'variable', 'constant'];

withScanFlags(
  program
    .command('symbols')
    .description('fuzzy-search the functions, classes, types and other declarations of a folder')
    .argument('<dir>', 'folder to read')
    .argument('<query>', 'name or abbreviation to look for, e.g. getUsr or GUR')
    .addOption(new Option('--kind <kind...>', 'only these kinds of symbols').choices(symbolKinds))
    .option('--limit <n>', 'most results', integer(1, 1000, '--limit'), 20),
).action(async (dir: string, query: string, flags: Parameters<typeof symbolsCommand>[2]) => {
  await symbolsCommand(dir, query, flags);
});

withScanFlags(
  program
    .command('conventions')
    .description("list the naming, file naming and layout conventions a folder's code follows, and every deviation")
    .argument('<dir>', 'folder to read'),
).action(async (dir: string, flags: Parameters<typeof conventionsCommand>[1]) => {
  await conventionsCommand(dir, flags);
});

withScanFlags(
  program
    .command('similar')
    .description('does code like this already exist? find the code in a folder most like a snippet (from --file or standard input)')
    .argument('<dir>', 'folder to search')
    .option('--file <file>', 'read the snippet from this file instead of standard input')
    .option('--language <extension>', 'language of the snippet, as a file extension (ts, py, java, …)')
    .option('--limit <n>', 'most results', integer(1, 100, '--limit'), 10),
).action(async (dir: string, flags: Parameters<typeof similarCommand>[1]) => {
  await similarCommand(dir, flags);
});

program
  .command('mcp')
  .description('serve MCP over stdio for a coding agent: on a local folder (indexed here), or relayed to a backend with --server')
  .argument('[folder]', 'folder to serve when no --server is given (default: the current folder)')
  .option('--server <url>', "a running backend's URL; the token comes from AUXIL_TOKEN (env AUXIL_SERVER)")
  .option('--project <name>', 'project the tools use when a call names none (default: the folder name)')
  .option('--toolsets <list>', 'only these toolsets, comma-separated: search, duplicates, conventions, projects')
  .option('--data-dir <dir>', 'where the local folder index is kept (default: a folder under ~/.cache/auxil/mcp)')
  .action(async (folder: string | undefined, flags: McpCommandFlags) => {
    await mcpCommand(folder, flags);
    // Standard input may still hold the event loop open after the client leaves: end here.
    process.exit(0);
  });

const admin = program.command('admin').description('administrative tasks: tenants and API tokens');
admin
  .command('token')
  .description('print a new API token (for the default tenant unless --tenant; only its hash is stored; keep the token secret)')
  .option('--name <name>', 'what the token is for, shown when listing tokens', 'cli')
  .option('--tenant <id>', 'the tenant the token acts for (default: the embedded default tenant)')
  .addOption(
    new Option(
      '--scope <scope...>',
      'what the token may do: read (ask questions) and/or write (change projects and files); default both',
    ).choices(ALL_SCOPES),
  )
  .option('--data-dir <dir>', 'data directory (env AUXIL_DATA_DIR, default ./.auxil)')
  .option('--store <url>', 'store: sqlite:<file> or mongodb://… (env AUXIL_STORE)')
  .action(adminToken);
admin
  .command('tenant')
  .description('tenants: isolated organisations, each with its own projects and tokens')
  .command('create')
  .argument('<id>', 'tenant id: letters, digits, ".", "_", "-"')
  .option('--name <name>', 'display name (default: the id)')
  .option('--data-dir <dir>', 'data directory (env AUXIL_DATA_DIR, default ./.auxil)')
  .option('--store <url>', 'store: sqlite:<file> or mongodb://… (env AUXIL_STORE)')
  .action(adminTenantCreate);

program.parseAsync(process.argv).catch((error: unknown) => {
  // Usage and configuration mistakes say only what to fix; anything else is a failure of ours.
  const known = error instanceof ConfigError || error instanceof UsageError;
  const message = error instanceof Error ? (known ? error.message : (error.stack ?? error.message)) : String(error);
  process.stderr.write(`auxil: ${message}\n`);
  process.exitCode = 2;
});
