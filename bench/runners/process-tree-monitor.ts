import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** How one measured process run ended and what it cost. */
export interface MeasuredRun {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly wallMs: number;
  /** Highest sum of VmRSS over the process and all its descendants seen at one sample (at least the single-process peak). */
  readonly peakTreeRssBytes: number;
  /** Highest VmHWM (the kernel's own peak RSS) of any single process of the tree. */
  readonly peakSingleProcessBytes: number;
  /** Peak VmHWM per command name, e.g. { node: …, jscpd: … }, to see which process holds the memory. */
  readonly peakByCommand: Readonly<Record<string, number>>;
  readonly samples: number;
  readonly stderrTail: string;
}

export interface MeasureOptions {
  readonly cwd?: string;
  readonly timeoutMs: number;
  /** Sampling period; 20 ms by default. */
  readonly intervalMs?: number;
  readonly env?: NodeJS.ProcessEnv;
}

function readStatus(pid: number): { name: string; rss: number; hwm: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (key: string): number => {
      const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
      return match ? Number(match[1]) * 1024 : 0;
    };
    return { name: /^Name:\s+(.*)$/m.exec(status)?.[1] ?? '?', rss: field('VmRSS'), hwm: field('VmHWM') };
  } catch {
    return undefined;
  }
}

// The process and its descendants: one pass over /proc/<pid>/stat for every parent link (this
// kernel has no /proc/<pid>/task/<tid>/children). The command field is in parentheses and may
// hold spaces, so the parent pid is read after its closing parenthesis.
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(parent) ?? [];
    list.push(Number(entry));
    children.set(parent, list);
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.pop()!;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** Clock ticks per second of /proc/<pid>/stat's CPU times (USER_HZ: 100 on Linux). */
let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    const answer = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    const value = Number(answer.stdout?.trim());
    ticksPerSecond = answer.status === 0 && value > 0 ? value : 100;
  }
  return ticksPerSecond;
}

/**
 * CPU time (user + system, all threads) used so far by a process and its live descendants, in
 * milliseconds; 0 for a process that is gone.
 */
export function treeCpuMs(root: number): number {
  let ticks = 0;
  for (const pid of processTree(root)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // After the command: state (0), ppid (1), … utime (11), stime (12).
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Gone meanwhile.
    }
  }
  return (ticks / clockTicks()) * 1000;
}

/** The peaks a {@link TreeMemorySampler} saw. */
export interface MemoryPeaks {
  /** Highest sum of VmRSS over the roots and all their descendants at one sample (at least the single-process peak). */
  readonly peakTreeRssBytes: number;
  /** Highest VmHWM (the kernel's own peak RSS) of any single process of the trees. */
  readonly peakSingleProcessBytes: number;
  /** Peak VmHWM per command name. */
  readonly peakByCommand: Readonly<Record<string, number>>;
  readonly samples: number;
}

/**
 * Samples the resident memory of one or more process trees: at each sample the VmRSS of every
 * root and all its descendants is summed, and each process's VmHWM is kept, so a single process's
 * spike between two samples is not lost. `rescanEvery` > 1 looks for new descendants only every
 * that many samples (a long-running server's tree rarely changes, and the /proc scan is the costly
 * part); 1 rescans at every sample.
 */
export class TreeMemorySampler {
  private peakTree = 0;
  private peakSingle = 0;
  private samples = 0;
  private byCommand: Record<string, number> = {};
  private pids: number[] = [];

  constructor(
    private readonly roots: () => readonly number[],
    private readonly rescanEvery = 1,
  ) {}

  sample(): void {
    if (this.samples % this.rescanEvery === 0 || this.pids.length === 0) this.pids = this.roots().flatMap((root) => processTree(root));
    let total = 0;
    for (const pid of this.pids) {
      const status = readStatus(pid);
      if (status === undefined) continue;
      total += status.rss;
      this.peakSingle = Math.max(this.peakSingle, status.hwm);
      this.byCommand[status.name] = Math.max(this.byCommand[status.name] ?? 0, status.hwm);
    }
    this.peakTree = Math.max(this.peakTree, total);
    this.samples++;
  }

  /**
   * Forgets the peaks seen so far, to measure a new phase of the same processes. The kernel's
   * VmHWM of each process is reset too (`5` written to /proc/<pid>/clear_refs, allowed for our own
   * processes); where that fails, the next peaks can include the earlier phase's single-process peak.
   */
  reset(): void {
    this.pids = this.roots().flatMap((root) => processTree(root));
    for (const pid of this.pids) {
      try {
        writeFileSync(`/proc/${pid}/clear_refs`, '5');
      } catch {
        // Not ours, gone, or an older kernel: the peaks may then include the earlier phase.
      }
    }
    this.peakTree = 0;
    this.peakSingle = 0;
    this.samples = 0;
    this.byCommand = {};
  }

  peaks(): MemoryPeaks {
    return {
      peakTreeRssBytes: Math.max(this.peakTree, this.peakSingle),
      peakSingleProcessBytes: this.peakSingle,
      peakByCommand: { ...this.byCommand },
      samples: this.samples,
    };
  }

  /** Samples every `intervalMs` until the returned function is called. */
  start(intervalMs = 20): () => void {
    const timer = setInterval(() => this.sample(), intervalMs);
    return () => clearInterval(timer);
  }
}

/**
 * Runs a command and measures its wall time and the peak resident memory of its whole process
 * tree, by sampling /proc every `intervalMs`: at each sample the VmRSS of the process and all its
 * descendants (found from the parent links in /proc/<pid>/stat) are summed. Each process's VmHWM
 * is also kept, so a single process's spike between two samples is not lost. The command runs in
 * its own process group, which is killed on timeout.
 */
export function measureCommand(command: string, args: readonly string[], options: MeasureOptions): Promise<MeasuredRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    const sampler = new TreeMemorySampler(() => (child.pid === undefined ? [] : [child.pid]));
    const stopSampling = sampler.start(options.intervalMs ?? 20);
    let timedOut = false;
    const killer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }, options.timeoutMs);
    child.on('error', (error) => {
      stopSampling();
      clearTimeout(killer);
      reject(error);
    });
    child.on('exit', (exitCode, signal) => {
      const wallMs = performance.now() - started;
      stopSampling();
      clearTimeout(killer);
      resolve({ exitCode, signal, timedOut, wallMs, ...sampler.peaks(), stderrTail: stderr });
    });
  });
}
