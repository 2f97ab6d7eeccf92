// Real Auxil processes for the backend suite: `auxil serve` and `auxil worker` as children of the
// benchmark, each in its own process group, with its memory sampled by the runners' process-tree
// monitor. Every process and temporary folder is registered so that it is removed at the end, on
// failure, and on Ctrl-C.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TreeMemorySampler, treeCpuMs } from '../runners/process-tree-monitor.js';

const live = new Set<AuxilProcess>();
const tempDirs = new Set<string>();
const abortCleanups = new Set<() => Promise<void>>();
let hooked = false;

/**
 * Registers asynchronous cleanup (e.g. deleting Redis keys) to run if the benchmark is interrupted
 * (SIGINT, SIGTERM); returns the function that unregisters it once the work cleaned up by itself.
 */
export function onAbort(cleanup: () => Promise<void>): () => void {
  abortCleanups.add(cleanup);
  return () => abortCleanups.delete(cleanup);
}

/** Kills every process still running and removes every temporary folder, synchronously. */
export function cleanUpEverything(): void {
  for (const child of live) child.killNow();
  live.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.once('exit', cleanUpEverything);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      cleanUpEverything();
      const pending = Promise.all([...abortCleanups].map((cleanup) => cleanup().catch(() => undefined)));
      const cap = new Promise((resolve) => setTimeout(resolve, 5_000));
      void Promise.race([pending, cap]).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }
}

/** A temporary folder removed by {@link removeTempDir} or, at the latest, when the benchmark exits. */
export function makeTempDir(prefix: string): string {
  hookExit();
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

export interface StartOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** A line of standard output that means "ready"; its first capture group is kept (e.g. the URL). */
  readonly ready: RegExp;
  readonly timeoutMs: number;
  /** Memory sampling period; 20 ms like the tool runs. */
  readonly sampleMs?: number;
}

/** One running Auxil process (and its descendants), sampled for memory from its start. */
export class AuxilProcess {
  readonly sampler: TreeMemorySampler;
  private readonly stopSampling: () => void;
  private tail = '';
  private partial = '';
  private readonly lineListeners: ((line: string) => void)[] = [];
  /** Log lines at level error or fatal (pino levels 50 and 60): how many, and the first few. */
  private errorCount = 0;
  private readonly errorSamples: string[] = [];
  private exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private hasExited = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly label: string,
    sampleMs: number,
  ) {
    this.sampler = new TreeMemorySampler(() => (child.pid === undefined || this.hasExited ? [] : [child.pid]), 25);
    this.stopSampling = this.sampler.start(sampleMs);
    const keep = (chunk: Buffer): void => {
      this.tail = (this.tail + chunk.toString('utf8')).slice(-8000);
    };
    // The server logs every request on standard output: it is read (and dropped) all the time, so
    // a full pipe never blocks the server.
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.stdout?.on('data', (chunk: Buffer) => {
      const lines = (this.partial + chunk.toString('utf8')).split('\n');
      this.partial = lines.pop() ?? '';
      for (const line of lines) this.onOutputLine(line);
    });
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.hasExited = true;
        this.stopSampling();
        live.delete(this);
        resolve({ code, signal });
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return !this.hasExited;
  }

  private onOutputLine(line: string): void {
    if (/"level":(50|60)\b/.test(line)) {
      this.errorCount++;
      if (this.errorSamples.length < 5) this.errorSamples.push(line.slice(0, 600));
    }
    for (const listener of this.lineListeners) listener(line);
  }

  /** Calls `listener` with every later line of standard output (the server's JSON log lines among them). */
  onLine(listener: (line: string) => void): void {
    this.lineListeners.push(listener);
  }

  /** Error and fatal log lines so far: their number and the first five. */
  loggedErrors(): { count: number; samples: readonly string[] } {
    return { count: this.errorCount, samples: [...this.errorSamples] };
  }

  /** CPU time the process (all its threads) and its descendants used so far; 0 once it has exited. */
  cpuMs(): number {
    return this.running ? treeCpuMs(this.pid) : 0;
  }

  /** The last 8,000 characters the process wrote (both streams). */
  output(): string {
    return this.tail;
  }

  /**
   * Starts `node <cli> <args>` and resolves once a line of its standard output matches
   * `options.ready`, with that match's first group (or the whole match). Rejects (after killing
   * the process) when it exits first or does not get ready in time.
   */
  static async start(
    cli: string,
    args: readonly string[],
    label: string,
    options: StartOptions,
  ): Promise<{ process: AuxilProcess; ready: string }> {
    hookExit();
    const child = spawn(process.execPath, [cli, ...args], {
      env: options.env ?? process.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const started = new AuxilProcess(child, label, options.sampleMs ?? 20);
    live.add(started);
    const ready = await new Promise<string>((resolve, reject) => {
      let seen = '';
      const onData = (chunk: Buffer): void => {
        seen = (seen + chunk.toString('utf8')).slice(-16000);
        const match = options.ready.exec(seen);
        if (match) finish(() => resolve(match[1] ?? match[0]));
      };
      const timer = setTimeout(
        () =>
          finish(() => reject(new Error(`${label} was not ready within ${options.timeoutMs / 1000} s: ${started.output().slice(-600)}`))),
        options.timeoutMs,
      );
      const onExit = (code: number | null, signal: NodeJS.Signals | null): void =>
        finish(() => reject(new Error(`${label} exited (${String(code ?? signal)}) before it was ready: ${started.output().slice(-600)}`)));
      const onError = (error: Error): void => finish(() => reject(error));
      function finish(settle: () => void): void {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.off('exit', onExit);
        child.off('error', onError);
        settle();
      }
      child.stdout?.on('data', onData);
      child.once('exit', onExit);
      child.once('error', onError);
    }).catch(async (error: unknown) => {
      await started.stop(5_000);
      throw error;
    });
    return { process: started, ready };
  }

  /** SIGTERM to the process group, SIGKILL after `graceMs`; resolves once the process is gone. */
  async stop(graceMs = 15_000): Promise<{ code: number | null; signal: NodeJS.Signals | null; killed: boolean }> {
    if (this.hasExited) return { ...(await this.exited), killed: false };
    this.signal('SIGTERM');
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      this.signal('SIGKILL');
    }, graceMs);
    const result = await this.exited;
    clearTimeout(timer);
    // Whatever the process left in its group (it starts none, but a stray one must not survive us).
    this.signal('SIGKILL');
    return { ...result, killed };
  }

  /** SIGKILL to the process group, at once (cleanup on the way out). */
  killNow(): void {
    this.signal('SIGKILL');
  }

  private signal(signal: NodeJS.Signals): void {
    if (this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      // Already gone.
    }
  }
}

/** Runs `node <cli> <args>` to completion and returns its standard output, trimmed; throws on failure. */
export function runCli(cli: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 60_000): string {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env, timeout: timeoutMs });
  if (result.status !== 0) {
    throw new Error(
      `auxil ${args.slice(0, 2).join(' ')} failed (${String(result.status ?? result.signal)}): ${result.stderr.trim().slice(-500)}`,
    );
  }
  return result.stdout.trim();
}
