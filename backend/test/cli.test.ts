import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { describe, test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { HealthResponse, PutFileResponse } from '@auxil/protocol';
import { tempDir } from './test-server.js';

// The CLI is tested as users run it: the built file in its own process (run `npx tsc -b` first).
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const WAIT_LIMIT_MS = 15_000;

/** The environment minus any AUXIL_ setting of the machine running the tests. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AUXIL_')));
  return { ...env, AUXIL_LOG_LEVEL: 'warn', ...extra };
}

class CliProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly waiters = new Set<() => void>();

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (chunk: Buffer) => {
      this.stdout += chunk.toString();
      this.notify();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
      this.notify();
    });
    this.exited = new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
    void this.exited.then(() => this.notify());
  }

  static start(t: TestContext, args: string[], env: Record<string, string> = {}): CliProcess {
    const cli = new CliProcess(spawn(process.execPath, [CLI, ...args], { env: cleanEnv(env) }));
    t.after(async () => {
      if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
      await cli.exited;
    });
    return cli;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Waits until stdout matches `pattern`, re-checked on every chunk of output; fails if the process exits first. */
  untilStdout(pattern: RegExp): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const attempt = (): boolean => {
        const match = pattern.exec(this.stdout);
        if (match) return done(() => resolve(match));
        if (!this.running) return done(() => reject(new Error(`exited before printing ${pattern}:\n${this.stdout}\n${this.stderr}`)));
        return false;
      };
      const done = (settle: () => void): true => {
        clearTimeout(timer);
        this.waiters.delete(attempt);
        settle();
        return true;
      };
      const timer = setTimeout(
        () => done(() => reject(new Error(`timed out waiting for ${pattern}:\n${this.stdout}\n${this.stderr}`))),
        WAIT_LIMIT_MS,
      );
      if (!attempt()) this.waiters.add(attempt);
    });
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

/** Runs a CLI command to its end. */
async function run(t: TestContext, args: string[], env: Record<string, string> = {}) {
  const cli = CliProcess.start(t, args, env);
  const { code } = await cli.exited;
  return { code, stdout: cli.stdout, stderr: cli.stderr };
}

describe('auxil CLI', () => {
  test('serve listens, admin token prints a token the running server accepts, and SIGTERM stops it with code 0', async (t) => {
    const data = await tempDir('cli');
    const server = CliProcess.start(t, ['serve', '--port', '0', '--data-dir', data.path]);
    // Registered after the process's own cleanup, so the folder is deleted once the process is gone.
    t.after(() => data.remove());
    const [, url] = await server.untilStdout(/listening on (http:\/\/\S+)/);
    assert.ok(url);

    const health = await fetch(`${url}/healthz`);
    assert.equal(health.status, 200);
    assert.equal(HealthResponse.parse(await health.json()).status, 'ok');

    const issued = await run(t, ['admin', 'token', '--data-dir', data.path]);
    assert.equal(issued.code, 0, issued.stderr);
    const lines = issued.stdout.split('\n').filter((line) => line !== '');
    assert.equal(lines.length, 1, `one line: ${issued.stdout}`);
    const token = lines[0] as string;
    assert.match(token, /^auxil_\S+$/);

    const put = await fetch(`${url}/v1/projects/cli/files/a.ts`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${token}` },
      body: 'export const a = 1;\n',
    });
    assert.equal(put.status, 200);
    assert.equal(PutFileResponse.parse(await put.json()).file, 'a.ts');

    server.child.kill('SIGTERM');
    const exit = await server.exited;
    assert.deepEqual(exit, { code: 0, signal: null }, server.stderr);
    assert.match(server.stdout, /SIGTERM: shutting down/);
  });

  test('serve --port 99999 exits with code 2 and says why on stderr', async (t) => {
    const data = await tempDir('cli-port');
    t.after(() => data.remove());
    const result = await run(t, ['serve', '--port', '99999', '--data-dir', data.path]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /99999/);
    assert.match(result.stderr, /port/);
  });

  test('serve with an invalid AUXIL_PORT exits with code 2 naming the variable', async (t) => {
    const data = await tempDir('cli-env');
    t.after(() => data.remove());
    const result = await run(t, ['serve', '--data-dir', data.path], { AUXIL_PORT: 'abc' });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /AUXIL_PORT/);
  });

  test('--version prints the version and exits with code 0', async (t) => {
    const result = await run(t, ['--version']);
    assert.equal(result.code, 0);
    assert.match(result.stdout.trim(), /^\d+\.\d+\.\d+/);
  });
});
