// Pure helpers of the backend (`--api`) suite: batching an upload as NDJSON, reading the
// Server-Timing header, summarising latencies, encoding file paths for URLs. No I/O here, so
// bench/test/api-helpers.test.ts can check them alone.
import { percentile } from '../extra-measurements.js';

/** One file of a batch upload, as `POST /v1/projects/:p/files` takes it. */
export interface UploadFile {
  readonly path: string;
  readonly content: string;
}

/** The server's batch limits (docs/api.md, "Limits"). */
export interface BatchLimits {
  /** Files per request (the server takes at most 10,000). */
  readonly maxFiles: number;
  /** Uncompressed bytes per request (the server takes at most 64 MiB). */
  readonly maxBytes: number;
}

/** One request's body: NDJSON lines, each `{"path","content"}` and a newline. */
export interface NdjsonBatch {
  readonly body: Buffer;
  readonly files: number;
  readonly paths: readonly string[];
}

/** The NDJSON line of one file, newline included. */
export function ndjsonLine(file: UploadFile): string {
  return `${JSON.stringify({ path: file.path, content: file.content })}\n`;
}

/**
 * Splits files into upload bodies of at most `maxFiles` files and `maxBytes` bytes each, in the
 * order given, lazily: a file is read (the iterable is advanced) only when its batch is built, so
 * the caller never holds more than one batch's contents. A file whose line alone exceeds
 * `maxBytes` cannot be uploaded in any batch: that is an error naming it.
 */
export function* ndjsonBatches(files: Iterable<UploadFile>, limits: BatchLimits): Generator<NdjsonBatch> {
  if (limits.maxFiles < 1 || limits.maxBytes < 1) throw new RangeError('batch limits must be positive');
  let lines: Buffer[] = [];
  let paths: string[] = [];
  let bytes = 0;
  const flush = (): NdjsonBatch => {
    const batch = { body: Buffer.concat(lines, bytes), files: lines.length, paths };
    lines = [];
    paths = [];
    bytes = 0;
    return batch;
  };
  for (const file of files) {
    const line = Buffer.from(ndjsonLine(file), 'utf8');
    if (line.length > limits.maxBytes) {
      throw new RangeError(`${file.path}: its upload line is ${line.length} bytes, over the ${limits.maxBytes}-byte batch limit`);
    }
    if (lines.length === limits.maxFiles || bytes + line.length > limits.maxBytes) yield flush();
    lines.push(line);
    paths.push(file.path);
    bytes += line.length;
  }
  if (lines.length > 0) yield flush();
}

/**
 * The `app` duration of a `Server-Timing` header value (`app;dur=12.5`, possibly among other
 * metrics, e.g. `db;dur=3, app;desc="x";dur=12.5`), in milliseconds; undefined when absent.
 */
export function serverTimingMs(header: string | string[] | undefined): number | undefined {
  const values = Array.isArray(header) ? header : header === undefined ? [] : [header];
  for (const metric of values.flatMap((value) => value.split(','))) {
    const [name, ...params] = metric.split(';').map((part) => part.trim());
    if (name !== 'app') continue;
    for (const param of params) {
      const match = /^dur=("?)(\d+(?:\.\d+)?)\1$/.exec(param);
      if (match) return Number(match[2]);
    }
  }
  return undefined;
}

/** Latency summary in milliseconds (nearest-rank percentiles, as elsewhere in the benchmark). */
export interface LatencySummary {
  readonly n: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
}

export function summarize(valuesMs: readonly number[]): LatencySummary {
  const round = (value: number): number => Math.round(value * 100) / 100;
  return {
    n: valuesMs.length,
    p50Ms: round(percentile(valuesMs, 50)),
    p95Ms: round(percentile(valuesMs, 95)),
    maxMs: round(valuesMs.length === 0 ? Number.NaN : Math.max(...valuesMs)),
    meanMs: round(valuesMs.length === 0 ? Number.NaN : valuesMs.reduce((sum, value) => sum + value, 0) / valuesMs.length),
  };
}

/** A project-relative path as the `*path` of a URL: each segment percent-encoded, `/` between. */
export function encodeFilePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/**
 * `count` distinct indexes below `size`, in the order drawn, from a generator of floats in [0, 1)
 * (a partial Fisher–Yates shuffle, so a seeded generator gives the same choice on every machine).
 */
export function sampleIndexes(size: number, count: number, next: () => number): number[] {
  if (count > size) throw new RangeError(`cannot draw ${count} distinct items from ${size}`);
  const swapped = new Map<number, number>();
  const chosen: number[] = [];
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(next() * (size - i));
    chosen.push(swapped.get(j) ?? j);
    swapped.set(j, swapped.get(i) ?? i);
  }
  return chosen;
}
