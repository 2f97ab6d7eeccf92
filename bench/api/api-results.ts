// What the backend (`--api`) suite measures, as written into the results JSON and printed by
// bench/report/api-report.ts.
import type { MemoryPeaks } from '../runners/process-tree-monitor.js';
import type { LatencySummary } from './api-helpers.js';

/** A measurement that could not produce figures: why, and what the server said last. */
export interface NotMeasured {
  readonly status: 'failed' | 'unavailable';
  readonly message: string;
  /** The last lines the server (or worker) wrote, for the diagnosis. */
  readonly serverOutputTail?: string;
}

export const API_TARGETS = {
  sync: { wallMs: 60_000, peakRssBytes: 1.5 * 1024 ** 3 },
  update: { serverP95Ms: 50, clientP95Ms: 100 },
  clients: { errors: 0, p95Ms: 2_000 },
  workers: { speedUp: 1.7 },
} as const;

/** 1. The large corpus synced through the API into an empty project. */
export interface SyncMeasurement {
  readonly status: 'ok';
  readonly project: string;
  readonly files: number;
  readonly bytes: number;
  /** Files left out because they are not valid UTF-8 (the API takes text only). */
  readonly skippedNotUtf8: number;
  readonly wallMs: number;
  /** Client: list and hash every file; then the manifest request; all uploads; the findings request. */
  readonly phasesMs: { readonly hash: number; readonly manifest: number; readonly upload: number; readonly findings: number };
  readonly manifest: { readonly missing: number; readonly linked: number; readonly removed: number; readonly serverMs: number | undefined };
  readonly upload: {
    readonly batches: number;
    readonly batchFiles: number;
    readonly inFlight: number;
    readonly gzipLevel: number;
    readonly rawBytes: number;
    readonly gzippedBytes: number;
    readonly stored: number;
    readonly clientMs: LatencySummary;
    readonly serverMs: LatencySummary;
  };
  readonly findings: { readonly file: string; readonly count: number; readonly serverMs: number | undefined };
  /** The server process tree, from its start to the end of the sync. */
  readonly server: MemoryPeaks;
  /** CPU time (user + system, all threads) of the server during the sync, and of the benchmark's own process (the client). */
  readonly cpuMs: { readonly server: number; readonly client: number };
}

/** 2. One-file updates on the synced project. */
export interface UpdateMeasurement {
  readonly status: 'ok';
  readonly projectFiles: number;
  readonly edit: string;
  readonly clientMs: LatencySummary;
  readonly serverMs: LatencySummary;
  /** Findings answered per update (p50 of the count), to show the answers were real. */
  readonly findingsP50: number;
  readonly server: MemoryPeaks;
}

/**
 * 3. Many clients at once, each syncing and analysing a small project of its own (round 1), then
 * analysing it again with nothing left to upload (round 2, `analysisOnly`).
 */
export interface ClientsMeasurement {
  readonly status: 'ok';
  readonly clients: number;
  readonly filesPerClient: number;
  /** `?wait=` of the clients' status requests, in seconds. */
  readonly waitS: number;
  readonly wallMs: number;
  readonly errors: number;
  readonly errorSamples: readonly string[];
  /** Answers 429 and 503 (each retried after Retry-After). */
  readonly rateLimited: number;
  readonly overloaded: number;
  readonly requests: number;
  readonly totalMs: LatencySummary;
  readonly uploadMs: LatencySummary;
  /** From POST …/analyses to the poll that saw it done. */
  readonly analysisMs: LatencySummary;
  readonly server: MemoryPeaks;
  /** CPU time of the server while the clients ran. */
  readonly serverCpuMs: number;
  /** Round 2: every client's `POST …/analyses` → done, all at once, the projects synced. */
  readonly analysisOnly: {
    readonly wallMs: number;
    readonly errors: number;
    readonly errorSamples: readonly string[];
    readonly analysisMs: LatencySummary;
    readonly serverCpuMs: number;
  };
}

/** One batch analysis of the synced project by N worker processes. */
export interface WorkerRun {
  readonly workers: number;
  /** Client: POST …/analyses → the poll that saw it done. */
  readonly wallMs: number;
  /**
   * Client: POST → the first poll (every 250 ms) that saw every shard done; the rest of the wall
   * time is the final job (load, match, classes) and its pick-up.
   */
  readonly shardsDoneMs: number | undefined;
  /** Server: the analysis record's createdAt → finishedAt. */
  readonly recordMs: number | undefined;
  readonly timings: Readonly<Record<string, number>>;
  readonly shards: number;
  readonly files: number;
  readonly cloneClasses: number | undefined;
  readonly classesDigest: string | undefined;
  readonly workersPeak: MemoryPeaks;
  /**
   * How often a worker logged that the final job lost its lock (`job_lock_lost`): the job ran
   * longer than its lock without extending it, and the queue started it again.
   */
  readonly lockLosses: number;
  /** CPU time of the worker processes (together) and of the api process during the run. */
  readonly cpuMs: { readonly workers: number; readonly api: number };
}

/** 4. Distributed batch analysis, 1 worker process against 2. */
export interface WorkersMeasurement {
  readonly status: 'ok';
  readonly queue: string;
  readonly namespace: string;
  readonly threadsPerWorker: number;
  readonly runs: readonly WorkerRun[];
  /** Wall time with 1 worker / with 2. */
  readonly speedUp: number;
  readonly sameResult: boolean;
  readonly api: MemoryPeaks;
  readonly notes: readonly string[];
}

export type Measured<T> = T | NotMeasured;

/** Every Auxil process the suite started, with the error and fatal lines it logged. */
export interface ProcessLog {
  readonly label: string;
  readonly pid: number;
  readonly errors: number;
  readonly samples: readonly string[];
}

export interface ApiSuiteResult {
  readonly corpus: { readonly tree: string; readonly files: number };
  readonly commands: Readonly<Record<string, string>>;
  readonly loadBefore: readonly number[];
  readonly loadAfter: readonly number[];
  readonly wallMs: number;
  readonly sync: Measured<SyncMeasurement>;
  readonly update: Measured<UpdateMeasurement>;
  readonly clients: Measured<ClientsMeasurement>;
  readonly workers: Measured<WorkersMeasurement>;
  readonly processes: readonly ProcessLog[];
  readonly targets: typeof API_TARGETS;
}
