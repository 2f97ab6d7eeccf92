import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { PlantedCorpus } from './corpus/planted-corpus.js';
import type { LiveIndexReport } from './live-index.js';

/**
 * The extension point for measurements beyond one full analysis. Two are planned and belong
 * here, each as an {@link ExtraMeasurement} in {@link EXTRA_MEASUREMENTS}:
 *
 * - incremental update latency: with Auxil's index of the planted corpus built, change one file
 *   (for example append a planted copy, or edit a function) and time until Auxil's findings for
 *   that file are up to date; repeat over a seeded sample of files and report p50/p95.
 * - similar-code query latency: with the index built, ask for code similar to a snippet (the
 *   planted originals make good queries, and their copies are the expected answers) and time
 *   each answer; report p50/p95.
 *
 * jscpd has neither (no incremental mode, no query), so these are Auxil-only lines. Until a
 * measurement is implemented its entry reports `not-implemented`, and the report prints that.
 */
export interface ExtraMeasurement {
  /** Stable key in the results JSON, e.g. `incremental-update-latency`. */
  readonly key: string;
  /** What the printed line calls it. */
  readonly label: string;
  run(context: ExtraMeasurementContext): Promise<ExtraMeasurementResult>;
}

/** What a measurement gets: the planted corpus, the seed, and where Auxil's CLI is. */
export interface ExtraMeasurementContext {
  readonly corpus: PlantedCorpus;
  readonly seed: number;
  readonly auxilCli: string;
  readonly timeoutMs: number;
  readonly log: (line: string) => void;
}

/** Latency percentiles over `samples` timed operations, in milliseconds. */
export interface LatencyResult {
  readonly status: 'ok';
  readonly samples: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly notes?: string;
}

export type ExtraMeasurementResult =
  LatencyResult | ValueResult | { readonly status: 'not-implemented' | 'unavailable' | 'failed'; readonly message: string };

/** The p-th percentile (0–100) of some durations, by the nearest-rank method. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Summarises timed operations as a {@link LatencyResult}. */
export function latencyResult(durationsMs: readonly number[], notes?: string): LatencyResult {
  return {
    status: 'ok',
    samples: durationsMs.length,
    p50Ms: percentile(durationsMs, 50),
    p95Ms: percentile(durationsMs, 95),
    ...(notes ? { notes } : {}),
  };
}

/** A single figure with its unit, e.g. the memory of a loaded index. */
export interface ValueResult {
  readonly status: 'ok';
  readonly value: number;
  readonly unit: string;
  readonly target?: string;
  readonly notes?: string;
}

/**
 * One live index of the planted corpus, in a process of its own (`live-index.ts`), serves all
 * three measurements; it is built once per bench run.
 */
let liveIndex: Promise<LiveIndexReport | { failed: string }> | undefined;

function measureLiveIndex(context: ExtraMeasurementContext): Promise<LiveIndexReport | { failed: string }> {
  liveIndex ??= Promise.resolve().then(() => {
    context.log('building a live Auxil index of the corpus for the latency and memory measurements …');
    const script = fileURLToPath(new URL('./live-index.ts', import.meta.url));
    const result = spawnSync(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', script, context.corpus.tree, context.corpus.truthFile, String(context.seed)],
      {
        encoding: 'utf8',
        timeout: context.timeoutMs,
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    if (result.status !== 0)
      return { failed: `live index failed (exit ${String(result.status)}): ${result.stderr.trim().split('\n').slice(-3).join(' ')}` };
    return JSON.parse(result.stdout) as LiveIndexReport;
  });
  return liveIndex;
}

function fromLiveIndex(key: string, label: string, pick: (report: LiveIndexReport) => ExtraMeasurementResult): ExtraMeasurement {
  return {
    key,
    label,
    run: async (context) => {
      const report = await measureLiveIndex(context);
      return 'failed' in report ? { status: 'failed', message: report.failed } : pick(report);
    },
  };
}

/** The measurements `npm run bench` runs after the one-shot analyses, in order. */
export const EXTRA_MEASUREMENTS: readonly ExtraMeasurement[] = [
  fromLiveIndex('incremental-update-latency', 'Auxil replace one file', (report) =>
    latencyResult(
      report.updateMs,
      `target p95 ≤ 50 ms; lex, update the index, get that file's clone classes; ${report.files.toLocaleString('en-US')} files`,
    ),
  ),
  fromLiveIndex('similar-code-query-latency', 'Auxil similar-code query', (report) =>
    latencyResult(
      report.queryMs,
      `target p95 ≤ 50 ms; planted originals as snippets, copy or original found for ${report.queriesAnswered} of ${report.queryMs.length}`,
    ),
  ),
  fromLiveIndex('loaded-index-memory', 'Auxil loaded index memory', (report) => ({
    status: 'ok',
    value: report.memory.indexMb,
    unit: 'MB',
    target: '≤ 1,000 MB',
    notes: `JS heap ${report.memory.heapUsedMb} MB + typed arrays ${report.memory.arraysMb} MB, ${report.pairs.toLocaleString('en-US')} pairs; process RSS ${report.memory.rssMb} MB`,
  })),
];
