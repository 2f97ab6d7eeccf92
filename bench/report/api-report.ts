import type { LatencySummary } from '../api/api-helpers.js';
import {
  API_TARGETS,
  type ApiSuiteResult,
  type ClientsMeasurement,
  type Measured,
  type NotMeasured,
  type SyncMeasurement,
  type UpdateMeasurement,
  type WorkersMeasurement,
} from '../api/api-results.js';

const MB = 1024 * 1024;
const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const ms = (value: number): string => `${value.toFixed(1)} ms`;
const mb = (bytes: number): string => `${(bytes / MB).toFixed(0)} MB`;
const count = (value: number): string => value.toLocaleString('en-US');
const verdict = (ok: boolean): string => (ok ? 'meets' : 'MISSES');
const name = (label: string): string => label.padEnd(30);
/** CPU seconds and the cores they amount to over a wall time. */
const cpu = (cpuMs: number, wallMs: number): string => `${s(cpuMs)} (${(cpuMs / wallMs).toFixed(1)} cores)`;
const p5095 = (summary: LatencySummary, unit: (value: number) => string = ms): string =>
  `p50 ${unit(summary.p50Ms)}  p95 ${unit(summary.p95Ms)}`;

export function syncLine(sync: SyncMeasurement): string {
  const t = API_TARGETS.sync;
  const peak = sync.server.peakTreeRssBytes;
  return (
    `${name(`API initial sync (${count(sync.files)} files)`)} wall ${s(sync.wallMs).padStart(8)}  server peak RSS ${mb(peak).padStart(8)}  ` +
    `hash ${s(sync.phasesMs.hash)}, manifest ${s(sync.phasesMs.manifest)}, upload ${s(sync.phasesMs.upload)} ` +
    `(${sync.upload.batches} batches of ≤ ${count(sync.upload.batchFiles)}, ${sync.upload.inFlight} in flight, gzip ${mb(sync.upload.gzippedBytes)} of ${mb(sync.upload.rawBytes)}), ` +
    `findings ${s(sync.phasesMs.findings)}; CPU server ${cpu(sync.cpuMs.server, sync.wallMs)}, client ${s(sync.cpuMs.client)}  ` +
    `(targets ≤ ${s(t.wallMs)}: ${verdict(sync.wallMs <= t.wallMs)}; ≤ ${mb(t.peakRssBytes)}: ${verdict(peak <= t.peakRssBytes)})`
  );
}

export function updateLine(update: UpdateMeasurement): string {
  const t = API_TARGETS.update;
  return (
    `${name('API one-file update (PUT)')} client ${p5095(update.clientMs)}  server ${p5095(update.serverMs)}  ` +
    `(n=${update.clientMs.n}, ${count(update.projectFiles)} files)  ` +
    `(targets p95 server ≤ ${t.serverP95Ms} ms: ${verdict(update.serverMs.p95Ms <= t.serverP95Ms)}; ` +
    `client ≤ ${t.clientP95Ms} ms: ${verdict(update.clientMs.p95Ms <= t.clientP95Ms)})`
  );
}

export function clientsLine(clients: ClientsMeasurement): string[] {
  const t = API_TARGETS.clients;
  const round2 = clients.analysisOnly;
  return [
    `${name(`API concurrent clients (${clients.clients} × ${clients.filesPerClient})`)} errors ${clients.errors}  ` +
      `429 ${clients.rateLimited}  503 ${clients.overloaded}  ` +
      `upload + analysis per client ${p5095(clients.totalMs, s)} (upload ${p5095(clients.uploadMs, s)}, analysis ${p5095(clients.analysisMs, s)})  ` +
      `server peak RSS ${mb(clients.server.peakTreeRssBytes)}, CPU ${cpu(clients.serverCpuMs, clients.wallMs)}  wall ${s(clients.wallMs)}`,
    `${name(`API concurrent analyses (${clients.clients} × ${clients.filesPerClient}, synced)`)} errors ${round2.errors}  ` +
      `per client ${p5095(round2.analysisMs, s)}  server CPU ${cpu(round2.serverCpuMs, round2.wallMs)}  wall ${s(round2.wallMs)}  ` +
      `(targets 0 errors: ${verdict(clients.errors + round2.errors === t.errors)}; p95 ≤ ${s(t.p95Ms)}: ${verdict(round2.analysisMs.p95Ms <= t.p95Ms)})`,
  ];
}

export function workersLines(workers: WorkersMeasurement): string[] {
  const lines = workers.runs.map((run) => {
    const timings = Object.entries(run.timings)
      .map(([key, value]) => `${key} ${s(value)}`)
      .join(', ');
    return (
      `${name(`API batch analysis, ${run.workers} worker${run.workers === 1 ? '' : 's'}`)} wall ${s(run.wallMs).padStart(8)}  ` +
      `(${count(run.files)} files, ${run.shards} shards${run.shardsDoneMs === undefined ? '' : ` done at ${s(run.shardsDoneMs)}`}; ${timings}; ${run.cloneClasses === undefined ? '?' : count(run.cloneClasses)} classes` +
      `${run.lockLosses > 0 ? `; ${run.lockLosses} lock losses` : ''})  ` +
      `workers peak RSS ${mb(run.workersPeak.peakTreeRssBytes)}, CPU ${cpu(run.cpuMs.workers, run.wallMs)}`
    );
  });
  lines.push(
    `${name('API workers speed-up (2 vs 1)')} ${workers.speedUp.toFixed(2)}× ` +
      `(aim ≥ ${API_TARGETS.workers.speedUp}×: ${verdict(workers.speedUp >= API_TARGETS.workers.speedUp)})  ` +
      `same clone classes: ${workers.sameResult ? 'yes' : 'NO'}  (AUXIL_THREADS=${workers.threadsPerWorker} per worker)`,
  );
  return lines;
}

function notMeasured<T extends { status: 'ok' }>(result: Measured<T>): result is NotMeasured {
  return result.status !== 'ok';
}

function missing(label: string, result: NotMeasured): string {
  return `${name(label)} ${result.status.toUpperCase()}: ${result.message}`;
}

/** The printed lines of the backend suite: one per measurement (three for the worker runs), then the logs and the load. */
export function apiLines(result: ApiSuiteResult): string[] {
  const { sync, update, clients, workers } = result;
  const lines = [
    notMeasured(sync) ? missing('API initial sync', sync) : syncLine(sync),
    notMeasured(update) ? missing('API one-file update (PUT)', update) : updateLine(update),
    ...(notMeasured(clients) ? [missing('API concurrent clients', clients)] : clientsLine(clients)),
    ...(notMeasured(workers) ? [missing('API batch analysis, workers', workers)] : workersLines(workers)),
  ];
  const logged = result.processes.filter((p) => p.errors > 0);
  lines.push(
    `${name('API server error logs')} ${
      logged.length === 0
        ? `none (${result.processes.length} processes)`
        : logged.map((p) => `${p.label} (pid ${p.pid}): ${p.errors}`).join(', ') + ' — the lines are in the results JSON'
    }`,
  );
  const load = (values: readonly number[]): string => values.map((value) => value.toFixed(2)).join(' ');
  lines.push(
    `${name('API suite')} ${s(result.wallMs)} in all; load average before ${load(result.loadBefore)}, after ${load(result.loadAfter)}`,
  );
  return lines;
}
