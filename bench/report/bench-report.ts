import type { ExtraMeasurementResult } from '../extra-measurements.js';
import type { RecallResult } from '../scoring/recall.js';
import type { PrecisionResult } from '../scoring/precision.js';
import type { Proportion } from '../scoring/wilson-interval.js';
import type { ToolRun } from '../runners/tool-run.js';

/** A tool run with its scores, when it produced a report. */
export interface ScoredRun {
  readonly run: ToolRun;
  readonly recall?: RecallResult;
  readonly precision?: PrecisionResult;
}

/** The issue's targets for Auxil's full analysis against jscpd's default run. */
export const TARGETS = { timeRatio: 1.0, rssRatio: 0.3, recall: { t1: 0.99, t2: 0.98, t3: 0.8 }, precision: 0.97 } as const;

const MB = 1024 * 1024;
const percent = (value: number): string => (Number.isNaN(value) ? '  n/a' : `${(value * 100).toFixed(1)}%`);
const interval = (p: Proportion): string => `${percent(p.value)} [${percent(p.low)}–${percent(p.high)}]`;

/** The one line printed for a tool run. */
export function runLine(scored: ScoredRun): string {
  const { run } = scored;
  const name = run.label.padEnd(30);
  if (run.status === 'unavailable') return `${name} not run: ${run.message ?? 'unavailable'} — figures pending`;
  const measured = run.measured;
  const median = (run.repeats?.length ?? 1) > 1 ? ` (median of ${run.repeats!.length})` : '';
  const cost = measured
    ? `wall ${(measured.wallMs / 1000).toFixed(1).padStart(7)} s  peak RSS ${(measured.peakTreeRssBytes / MB).toFixed(0).padStart(6)} MB${median}`
    : '';
  if (run.status !== 'ok') return `${name} ${run.status.toUpperCase()}: ${run.message ?? ''} ${cost}`.trimEnd();
  const files = run.report?.filesAnalysed;
  const recall = scored.recall;
  const recallText = recall
    ? `recall T1 ${percent(recall.byType.t1.value)}  T2 ${percent(recall.byType.t2.value)}  T3 ${percent(recall.byType.t3.value)}`
    : '';
  const precision = scored.precision;
  const precisionText = precision
    ? `precision ${interval(precision.estimate)} (n=${precision.estimate.trials} of ${precision.reportedPairs.toLocaleString('en-US')} pairs)`
    : '';
  return `${name} ${cost}  files ${(files ?? Number.NaN).toLocaleString('en-US').padStart(7)}  ${recallText}  ${precisionText}`;
}

/** Auxil / jscpd-default ratios of wall time and peak RSS, with the targets. */
export function ratioLines(auxil: ScoredRun | undefined, jscpdDefault: ScoredRun | undefined): string[] {
  const a = auxil?.run.status === 'ok' ? auxil.run.measured : undefined;
  const j = jscpdDefault?.run.status === 'ok' ? jscpdDefault.run.measured : undefined;
  if (a === undefined || j === undefined) {
    const why = a === undefined ? 'Auxil did not complete a run' : 'jscpd default did not complete a run';
    return [`Auxil / jscpd default: pending (${why}); targets: time ≤ ${TARGETS.timeRatio.toFixed(1)}×, peak RSS ≤ ${TARGETS.rssRatio}×`];
  }
  const time = a.wallMs / j.wallMs;
  const rss = a.peakTreeRssBytes / j.peakTreeRssBytes;
  const verdict = (ok: boolean): string => (ok ? 'meets target' : 'MISSES target');
  return [
    `Auxil / jscpd default: time ${time.toFixed(2)}× (target ≤ ${TARGETS.timeRatio.toFixed(1)}×, ${verdict(time <= TARGETS.timeRatio)})  ` +
      `peak RSS ${rss.toFixed(2)}× (target ≤ ${TARGETS.rssRatio}×, ${verdict(rss <= TARGETS.rssRatio)})`,
  ];
}

/** The line for an extra measurement. */
export function extraLine(label: string, result: ExtraMeasurementResult): string {
  if (result.status === 'ok' && 'value' in result) {
    return `${label.padEnd(30)} ${result.value.toLocaleString('en-US')} ${result.unit}${result.target ? ` (target ${result.target})` : ''}${result.notes ? `  ${result.notes}` : ''}`;
  }
  if (result.status === 'ok')
    return `${label.padEnd(30)} p50 ${result.p50Ms.toFixed(1)} ms  p95 ${result.p95Ms.toFixed(1)} ms  (n=${result.samples})${result.notes ? `  ${result.notes}` : ''}`;
  return `${label.padEnd(30)} ${result.status}: ${result.message}`;
}
