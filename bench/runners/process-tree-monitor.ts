import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
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
function processTree(root: number): number[] {
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
    let peakTree = 0;
    let peakSingle = 0;
    let samples = 0;
    const byCommand: Record<string, number> = {};
    const sample = (): void => {
      if (child.pid === undefined) return;
      let total = 0;
      for (const pid of processTree(child.pid)) {
        const status = readStatus(pid);
        if (status === undefined) continue;
        total += status.rss;
        peakSingle = Math.max(peakSingle, status.hwm);
        byCommand[status.name] = Math.max(byCommand[status.name] ?? 0, status.hwm);
      }
      peakTree = Math.max(peakTree, total);
      samples++;
    };
    const timer = setInterval(sample, options.intervalMs ?? 20);
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
      clearInterval(timer);
      clearTimeout(killer);
      reject(error);
    });
    child.on('exit', (exitCode, signal) => {
      const wallMs = performance.now() - started;
      clearInterval(timer);
      clearTimeout(killer);
      resolve({
        exitCode,
        signal,
        timedOut,
        wallMs,
        peakTreeRssBytes: Math.max(peakTree, peakSingle),
        peakSingleProcessBytes: peakSingle,
        peakByCommand: byCommand,
        samples,
        stderrTail: stderr,
      });
    });
  });
}
