#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_TENANT, issueToken } from './auth/api-tokens.js';
import { ConfigError, loadConfig, type ConfigInput } from './config.js';
import { databaseFile, startServer } from './server.js';
import { SqliteStore } from './store/sqlite/sqlite-store.js';
import { VERSION } from './version.js';

interface CommonFlags {
  dataDir?: string;
}

function port(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) throw new InvalidArgumentError('a port is an integer from 0 to 65535');
  return parsed;
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
  .command('admin')
  .description('administrative tasks')
  .command('token')
  .description('print a new API token for the default tenant (only its hash is stored; keep the token secret)')
  .option('--name <name>', 'what the token is for, shown when listing tokens', 'cli')
  .option('--data-dir <dir>', 'data directory (env AUXIL_DATA_DIR, default ./.auxil)')
  .action(adminToken);

program.parseAsync(process.argv).catch((error: unknown) => {
  const message = error instanceof ConfigError ? error.message : error instanceof Error ? error.message : String(error);
  process.stderr.write(`auxil: ${message}\n`);
  process.exitCode = 2;
});
