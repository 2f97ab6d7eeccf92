#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import { analyzeCommand, UsageError, type AnalyzeFlags } from './analysis/analyze-command.js';
import { conventionsCommand, similarCommand, symbolsCommand } from './analysis/project-commands.js';
import { DEFAULT_TENANT, issueToken } from './auth/api-tokens.js';
import { ConfigError, loadConfig, type ConfigInput } from './config.js';
import { databaseFile, startServer } from './server.js';
import { SqliteStore } from './store/sqlite/sqlite-store.js';
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

async function serve(flags: CommonFlags & { host?: string; port?: number }): Promise<void> {
  const overrides: ConfigInput = { dataDir: flags.dataDir, host: flags.host, port: flags.port };
  const config = loadConfig(overrides);
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
  const stop = (signal: string): void => {
    process.stdout.write(`${signal}: shutting down\n`);
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function adminToken(flags: CommonFlags & { name: string }): Promise<void> {
  const config = loadConfig({ dataDir: flags.dataDir });
  const store = SqliteStore.open(databaseFile(config.dataDir));
  try {
    await store.tenants.ensure(DEFAULT_TENANT.id, DEFAULT_TENANT.name);
    const { token } = await issueToken(store, DEFAULT_TENANT.id, flags.name);
    process.stdout.write(`${token}\n`);
  } finally {
    await store.close();
  }
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
  .action(serve);

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
  .command('admin')
  .description('administrative tasks')
  .command('token')
  .description('print a new API token for the default tenant (only its hash is stored; keep the token secret)')
  .option('--name <name>', 'what the token is for, shown when listing tokens', 'cli')
  .option('--data-dir <dir>', 'data directory (env AUXIL_DATA_DIR, default ./.auxil)')
  .action(adminToken);

program.parseAsync(process.argv).catch((error: unknown) => {
  // Usage and configuration mistakes say only what to fix; anything else is a failure of ours.
  const known = error instanceof ConfigError || error instanceof UsageError;
  const message = error instanceof Error ? (known ? error.message : (error.stack ?? error.message)) : String(error);
  process.stderr.write(`auxil: ${message}\n`);
  process.exitCode = 2;
});
