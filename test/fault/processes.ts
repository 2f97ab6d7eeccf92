import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI, run as users run it (`npm run build` or `npx tsc -b` first). */
export const CLI = fileURLToPath(new URL('../../backend/dist/cli.js', import.meta.url));

/** The environment minus any AUXIL_ setting of the machine running the tests, plus `extra`. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AUXIL_')));
  return { ...env, AUXIL_LOG_LEVEL: 'warn', ...extra };
}

/** One `auxil` process: its output, its exit, and waits on what it prints. */
export class AuxilProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly name: string,
    args: readonly string[],
    env: Record<string, string> = {},
  ) {
    this.child = spawn(process.execPath, [CLI, ...args], { env: cleanEnv(env) });
    this.child.stdout.on('data', (chunk: Buffer) => this.append('stdout', chunk));
    this.child.stderr.on('data', (chunk: Buffer) => this.append('stderr', chunk));
    this.exited = new Promise((resolve) => this.child.once('close', (code, signal) => resolve({ code, signal })));
    void this.exited.then(() => this.notify());
  }

  get pid(): number {
    return this.child.pid as number;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last lines of its output, for failure messages. */
  tail(lines = 20): string {
    const last = (text: string): string => text.trimEnd().split('\n').slice(-lines).join('\n');
    return `--- ${this.name} (pid ${this.pid}) stdout:\n${last(this.stdout)}\n--- stderr:\n${last(this.stderr)}`;
  }

  /** Waits until stdout matches `pattern`; fails if the process exits first or `timeoutMs` passes. */
  untilStdout(pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const settle = (done: () => void): true => {
        clearTimeout(timer);
        this.waiters.delete(attempt);
        done();
        return true;
      };
      const attempt = (): boolean => {
        const match = pattern.exec(this.stdout);
        if (match) return settle(() => resolve(match));
        if (!this.running) return settle(() => reject(new Error(`${this.name} exited before printing ${pattern}\n${this.tail()}`)));
        return false;
      };
      const timer = setTimeout(() => settle(() => reject(new Error(`${this.name} did not print ${pattern}\n${this.tail()}`))), timeoutMs);
      if (!attempt()) this.waiters.add(attempt);
    });
  }

  /** Sends `signal` (if still running) and waits for the exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.running) this.child.kill(signal);
    return this.exited;
  }

  private append(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    this[stream] += chunk.toString();
    this.notify();
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
