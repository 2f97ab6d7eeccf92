import type { CloneReport } from '../scoring/clone-report.js';
import type { MeasuredRun } from './process-tree-monitor.js';

/** What became of one tool run. `unavailable` means the tool is not there to run (never a measurement). */
export type ToolRunStatus = 'ok' | 'failed' | 'timeout' | 'unavailable';

/** One run of one tool on the planted corpus. */
export interface ToolRun {
  /** Stable key: `jscpd-default`, `jscpd-recall`, `auxil`. */
  readonly key: string;
  /** What the printed line calls it. */
  readonly label: string;
  readonly status: ToolRunStatus;
  /** The exact command line, as run (paths included). */
  readonly command: string;
  /** Why the run failed or could not start, in words a person can act on. */
  readonly message?: string;
  readonly measured?: MeasuredRun;
  /** Every timed run when the tool ran several times (`--runs`); `measured` is the median one. */
  readonly repeats?: readonly MeasuredRun[];
  readonly report?: CloneReport;
  readonly reportBytes?: number;
}

/** Shared settings of every tool run. */
export interface RunSettings {
  readonly tree: string;
  readonly outputDir: string;
  readonly timeoutMs: number;
  readonly minTokens: number;
  readonly minLines: number;
}

export const shellQuote = (args: readonly string[]): string =>
  args.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
