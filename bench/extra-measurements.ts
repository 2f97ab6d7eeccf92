import type { PlantedCorpus } from './corpus/planted-corpus.js';

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
  LatencyResult | { readonly status: 'not-implemented' | 'unavailable' | 'failed'; readonly message: string };

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

const notImplemented = (key: string, label: string): ExtraMeasurement => ({
  key,
  label,
  run: () => Promise.resolve({ status: 'not-implemented', message: 'not measured yet: replace this entry in bench/extra-measurements.ts' }),
});

/** The measurements `npm run bench` runs after the one-shot analyses, in order. */
export const EXTRA_MEASUREMENTS: readonly ExtraMeasurement[] = [
  notImplemented('incremental-update-latency', 'Auxil incremental update latency'),
  notImplemented('similar-code-query-latency', 'Auxil similar-code query latency'),
];
