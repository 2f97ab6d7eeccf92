import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';

// The CLI is tested as users run it: the built file in its own process (run `npx tsc -b` first).
export const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const WAIT_LIMIT_MS = 15_000;

/** The environment minus any AUXIL_ setting of the machine running the tests. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AUXIL_')));
  return { ...env, AUXIL_LOG_LEVEL: 'warn', ...extra };
}

export class CliProcess {
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
