import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { MAX_FILE_BYTES } from '@auxil/protocol';
import { ConfigError, configEntries, loadConfig } from '../src/config.js';

/** The ConfigError `run` throws; fails the test if it throws nothing or something else. */
function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a ConfigError, but the configuration loaded');
}

describe('loadConfig', () => {
  test('with no flags and no environment, every setting has its documented default', () => {
    assert.deepEqual(loadConfig({}, {}), {
      host: '127.0.0.1',
      port: 7600,
      dataDir: resolve('.auxil'),
      logLevel: 'info',
      maxFileBytes: 1024 * 1024,
      minTokens: 50,
      minLines: 5,
      store: undefined,
      queue: 'local',
      queueNamespace: 'auxil_jobs',
      role: 'all',
      shardLockMs: 60_000,
      mcpAllowedOrigins: [],
      maxInFlight: 512,
      rateLimit: 60_000,
      threads: availableParallelism(),
    });
    assert.equal(MAX_FILE_BYTES, 1024 * 1024, "protocol's limit is the same 1 MiB");
  });

  test('the data directory is always resolved to an absolute path', () => {
    assert.ok(isAbsolute(loadConfig({}, {}).dataDir));
    assert.equal(loadConfig({ dataDir: 'relative/data' }, {}).dataDir, resolve('relative/data'));
    assert.equal(loadConfig({}, { AUXIL_DATA_DIR: '../elsewhere' }).dataDir, resolve('../elsewhere'));
  });

  test('environment variables override the defaults', () => {
    const config = loadConfig(
      {},
      {
        AUXIL_HOST: '0.0.0.0',
        AUXIL_PORT: '8123',
        AUXIL_DATA_DIR: '/srv/auxil',
        AUXIL_LOG_LEVEL: 'warn',
        AUXIL_MAX_FILE_BYTES: '4096',
        AUXIL_MIN_TOKENS: '30',
        AUXIL_MIN_LINES: '3',
        AUXIL_STORE: 'mongodb://db/auxil',
        AUXIL_QUEUE: 'redis://127.0.0.1:6379',
        AUXIL_ROLE: 'api',
        AUXIL_MAX_IN_FLIGHT: '64',
        AUXIL_RATE_LIMIT: '100',
        AUXIL_THREADS: '1',
        AUXIL_MCP_ALLOWED_ORIGINS: 'https://console.example.com/, http://localhost:3000',
      },
    );
    assert.deepEqual(config, {
      host: '0.0.0.0',
      port: 8123,
      dataDir: resolve('/srv/auxil'),
      logLevel: 'warn',
      maxFileBytes: 4096,
      minTokens: 30,
      minLines: 3,
      store: 'mongodb://db/auxil',
      queue: 'redis://127.0.0.1:6379',
      queueNamespace: 'auxil_jobs',
      role: 'api',
      shardLockMs: 60_000,
      mcpAllowedOrigins: ['https://console.example.com', 'http://localhost:3000'],
      maxInFlight: 64,
      rateLimit: 100,
      threads: 1,
    });
  });

  test('an empty or blank environment variable counts as unset, so it never becomes port 0', () => {
    assert.equal(loadConfig({}, { AUXIL_PORT: '' }).port, 7600);
    assert.equal(loadConfig({}, { AUXIL_PORT: '  ' }).port, 7600);
    assert.equal(loadConfig({}, { AUXIL_HOST: ' ' }).host, '127.0.0.1');
  });

  test('explicit values (flags) beat the environment', () => {
    const config = loadConfig(
      { port: 9000, host: '::1', dataDir: '/flag' },
      { AUXIL_PORT: '8123', AUXIL_HOST: '0.0.0.0', AUXIL_DATA_DIR: '/env' },
    );
    assert.equal(config.port, 9000);
    assert.equal(config.host, '::1');
    assert.equal(config.dataDir, resolve('/flag'));
  });

  test('an explicit value of undefined falls back to the environment', () => {
    assert.equal(loadConfig({ port: undefined }, { AUXIL_PORT: '8123' }).port, 8123);
  });

  test('an invalid environment value throws a ConfigError naming the variable', () => {
    const error = configError(() => loadConfig({}, { AUXIL_PORT: 'abc' }));
    assert.equal(error.problems.length, 1);
    assert.match(error.problems[0] as string, /^AUXIL_PORT: /);
    assert.match(error.message, /AUXIL_PORT/);
  });

  test('values outside their range are refused', () => {
    const cases: Record<string, string> = {
      AUXIL_PORT: '65536',
      AUXIL_MAX_FILE_BYTES: '1023',
      AUXIL_MIN_TOKENS: '9',
      AUXIL_MIN_LINES: '0',
      AUXIL_LOG_LEVEL: 'verbose',
    };
    for (const [variable, value] of Object.entries(cases)) {
      const error = configError(() => loadConfig({}, { [variable]: value }));
      assert.match(error.problems.join('\n'), new RegExp(`^${variable}: `), `${variable}=${value}`);
    }
    configError(() => loadConfig({}, { AUXIL_PORT: '80.5' }));
  });

  test('an invalid explicit value is reported under the setting name, not the variable', () => {
    const error = configError(() => loadConfig({ port: -1 }, { AUXIL_PORT: '8123' }));
    assert.equal(error.problems.length, 1);
    assert.match(error.problems[0] as string, /^port: /);
  });

  test('several invalid settings are all reported at once', () => {
    const error = configError(() =>
      loadConfig({ minLines: 0 }, { AUXIL_PORT: 'abc', AUXIL_LOG_LEVEL: 'loud', AUXIL_MAX_FILE_BYTES: '10' }),
    );
    assert.deepEqual(
      error.problems.map((problem) => problem.split(':')[0]),
      ['AUXIL_PORT', 'AUXIL_LOG_LEVEL', 'AUXIL_MAX_FILE_BYTES', 'minLines'],
    );
    for (const problem of error.problems) assert.ok(error.message.includes(problem));
  });

  test('every setting names its own AUXIL_ environment variable and documents itself', () => {
    const variables = Object.values(configEntries).map((entry) => entry.env);
    assert.equal(new Set(variables).size, variables.length);
    for (const [key, entry] of Object.entries(configEntries)) {
      assert.match(entry.env, /^AUXIL_[A-Z_]+$/, key);
      assert.ok(entry.doc.length > 10, key);
    }
  });
});
