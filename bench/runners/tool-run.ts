import { existsSync, statSync } from 'node:fs';
import type { CloneReport } from '../scoring/clone-report.js';
import { measureCommand, type MeasuredRun } from './process-tree-monitor.js';

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

/**
 * Runs a tool's command once, measured, then reads the report it wrote: the same outcomes for
 * every tool (timeout, failed with the reason, failed with an unreadable report, ok).
 */
export async function measureToolRun(run: {
  readonly key: string;
  readonly label: string;
  /** The command and its arguments; the first element is the executable. */
  readonly argv: readonly string[];
  readonly settings: RunSettings;
  readonly reportFile: string;
  /** What to say when the tool exited 0 but wrote no report. */
  readonly noReport: string;
  readonly readReport: (file: string, tree: string) => CloneReport;
}): Promise<ToolRun> {
  const { key, label, settings, reportFile } = run;
  const [command, ...args] = run.argv as [string, ...string[]];
  const commandLine = shellQuote(run.argv);
  const measured = await measureCommand(command, args, { cwd: settings.tree, timeoutMs: settings.timeoutMs });
  if (measured.timedOut) {
    return {
      key,
      label,
      status: 'timeout',
      command: commandLine,
      measured,
      message: `killed after ${Math.round(settings.timeoutMs / 1000)} s`,
    };
  }
  if (measured.exitCode !== 0 || !existsSync(reportFile)) {
    const reason = measured.exitCode !== 0 ? `exit ${String(measured.exitCode ?? measured.signal)}` : run.noReport;
    return {
      key,
      label,
      status: 'failed',
      command: commandLine,
      measured,
      message: `${reason}: ${measured.stderrTail.trim().slice(-500)}`,
    };
  }
  let report;
  try {
    report = run.readReport(reportFile, settings.tree);
  } catch (error) {
    // The measurement stands even when the report cannot be read; the line says why there are no scores.
    const reason = error instanceof Error ? error.message : String(error);
    return { key, label, status: 'failed', command: commandLine, measured, message: `report unreadable: ${reason}` };
  }
  return { key, label, status: 'ok', command: commandLine, measured, report, reportBytes: statSync(reportFile).size };
}
