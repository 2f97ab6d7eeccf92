// Measurements 1 and 2 of the backend suite, against one embedded `auxil serve`: the initial sync
// of a whole corpus through the API (hash, manifest, batch uploads, first findings), then one-file
// updates on the project it built.
import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { MAX_BATCH_BYTES, MAX_BATCH_FILES } from '@auxil/protocol';
import { SeededRandom } from '../injection/seeded-random.js';
import type { ApiClient, ApiAnswer } from './api-client.js';
import { encodeFilePath, ndjsonBatches, sampleIndexes, summarize, type NdjsonBatch, type UploadFile } from './api-helpers.js';
import type { SyncMeasurement, UpdateMeasurement } from './api-results.js';
import type { AuxilProcess } from './auxil-process.js';

const gzipAsync = promisify(gzip);

/** Files per upload request: well inside the server's 10,000 files / 64 MiB, small enough to pipeline. */
export const BATCH_FILES = 2_000;
/** Upload requests in flight at once: one being processed while the next is sent and parsed. */
export const IN_FLIGHT = 2;
/**
 * gzip level of uploads. 1 (fastest): on this 2-core machine the client shares the cores with the
 * server, and level 6 costs about three times the CPU for ≈ 10 % smaller bodies on loopback.
 */
export const GZIP_LEVEL = 1;
/** One-file updates timed. */
export const UPDATES = 200;

/** Every file under `root`, as sorted `/`-separated relative paths. */
export function listTree(root: string): string[] {
  const paths: string[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) walk(join(dir, entry.name), relative);
      else if (entry.isFile()) paths.push(relative);
    }
  };
  walk(root, '');
  return paths.sort();
}

export interface ManifestFile {
  readonly path: string;
  readonly hash: string;
  readonly size: number;
}

/** The manifest of a tree: SHA-256 and size of every file that is valid UTF-8 (the others are counted, not listed). */
export function hashTree(root: string, paths: readonly string[]): { files: ManifestFile[]; skipped: number; bytes: number } {
  const files: ManifestFile[] = [];
  let skipped = 0;
  let bytes = 0;
  for (const path of paths) {
    const content = readFileSync(join(root, path));
    if (!isUtf8(content)) {
      skipped++;
      continue;
    }
    files.push({ path, hash: createHash('sha256').update(content).digest('hex'), size: content.length });
    bytes += content.length;
  }
  return { files, skipped, bytes };
}

/** CPU time of this process (user + system) since `start`, in milliseconds. */
export function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** Reads the files of `paths` one at a time, as the batches need them. */
function* readFiles(root: string, paths: readonly string[]): Generator<UploadFile> {
  for (const path of paths) yield { path, content: readFileSync(join(root, path), 'utf8') };
}

export interface SyncSetup {
  readonly client: ApiClient;
  readonly server: AuxilProcess;
  readonly tree: string;
  readonly project: string;
  /** A file whose findings are asked for at the end (a planted copy's file: it has findings). */
  readonly findingsFile: string | undefined;
  readonly log: (line: string) => void;
}

interface UploadAnswer {
  readonly stored: number;
  readonly unchanged: number;
  readonly revision: number;
}

/** Uploads batches with `inFlight` requests at a time; each lane builds (reads, gzips) its next batch itself. */
async function uploadAll(
  setup: SyncSetup,
  batches: Iterator<NdjsonBatch>,
  inFlight: number,
): Promise<{ answers: ApiAnswer[]; stored: number; rawBytes: number; gzippedBytes: number }> {
  const answers: ApiAnswer[] = [];
  let stored = 0;
  let rawBytes = 0;
  let gzippedBytes = 0;
  const lane = async (): Promise<void> => {
    for (;;) {
      const next = batches.next();
      if (next.done === true) return;
      const body = await gzipAsync(next.value.body, { level: GZIP_LEVEL });
      rawBytes += next.value.body.length;
      gzippedBytes += body.length;
      const { value, answer } = await setup.client.json<UploadAnswer>('POST', `/v1/projects/${setup.project}/files`, {
        body,
        headers: { 'Content-Type': 'application/x-ndjson', 'Content-Encoding': 'gzip' },
        timeoutMs: 120_000,
      });
      stored += value.stored;
      answers.push(answer);
      if (answers.length % 5 === 0) setup.log(`  ${answers.length} batches uploaded (${stored.toLocaleString('en-US')} files stored)`);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return { answers, stored, rawBytes, gzippedBytes };
}

/** Measurement 1: hash, manifest, upload what is missing, then the first findings. */
export async function measureInitialSync(setup: SyncSetup): Promise<{ result: SyncMeasurement; uploaded: readonly string[] }> {
  const { client, tree, project } = setup;
  // The client's disk reads are not the server's business: the files are read once, untimed, so
  // that hashing and uploads read them from the page cache whatever ran before.
  const paths = listTree(tree);
  for (const path of paths) readFileSync(join(tree, path));
  const serverCpu = setup.server.cpuMs();
  const clientCpu = process.cpuUsage();
  const started = performance.now();
  const { files, skipped, bytes } = hashTree(tree, paths);
  const hashed = performance.now();
  setup.log(`  hashed ${files.length.toLocaleString('en-US')} files in ${((hashed - started) / 1000).toFixed(1)} s; sending the manifest`);

  const manifestBody = await gzipAsync(Buffer.from(JSON.stringify({ files })), { level: GZIP_LEVEL });
  const manifest = await client.json<{ missing: string[]; linked: number; removed: number }>('POST', `/v1/projects/${project}/manifest`, {
    body: manifestBody,
    headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
    timeoutMs: 120_000,
  });
  const manifested = performance.now();
  const missing = manifest.value.missing;
  setup.log(`  manifest answered: ${missing.length.toLocaleString('en-US')} missing; uploading in batches of ${BATCH_FILES}`);

  const batches = ndjsonBatches(readFiles(tree, missing), { maxFiles: BATCH_FILES, maxBytes: MAX_BATCH_BYTES });
  if (BATCH_FILES > MAX_BATCH_FILES) throw new Error('BATCH_FILES is over the server limit');
  const upload = await uploadAll(setup, batches, IN_FLIGHT);
  const uploaded = performance.now();

  const findingsFile = setup.findingsFile ?? files[0]?.path ?? '';
  const findings = await client.json<{ findings: unknown[] }>(
    'GET',
    `/v1/projects/${project}/findings?file=${encodeURIComponent(findingsFile)}`,
    {
      timeoutMs: 300_000,
    },
  );
  const done = performance.now();

  return {
    uploaded: files.map((file) => file.path),
    result: {
      status: 'ok',
      project,
      files: files.length,
      bytes,
      skippedNotUtf8: skipped,
      wallMs: done - started,
      phasesMs: { hash: hashed - started, manifest: manifested - hashed, upload: uploaded - manifested, findings: done - uploaded },
      manifest: {
        missing: missing.length,
        linked: manifest.value.linked,
        removed: manifest.value.removed,
        serverMs: manifest.answer.serverMs,
      },
      upload: {
        batches: upload.answers.length,
        batchFiles: BATCH_FILES,
        inFlight: IN_FLIGHT,
        gzipLevel: GZIP_LEVEL,
        rawBytes: upload.rawBytes,
        gzippedBytes: upload.gzippedBytes,
        stored: upload.stored,
        clientMs: summarize(upload.answers.map((answer) => answer.clientMs)),
        serverMs: summarize(upload.answers.flatMap((answer) => (answer.serverMs === undefined ? [] : [answer.serverMs]))),
      },
      findings: { file: findingsFile, count: findings.value.findings.length, serverMs: findings.answer.serverMs },
      server: setup.server.sampler.peaks(),
      cpuMs: { server: setup.server.cpuMs() - serverCpu, client: cpuMsSince(clientCpu) },
    },
  };
}

/**
 * Measurement 2: `UPDATES` sequential `PUT …/files/<path>` of seeded corpus files with a statement
 * appended, each put back untimed afterwards so the project stays the corpus.
 */
export async function measureUpdates(setup: SyncSetup, paths: readonly string[], seed: number): Promise<UpdateMeasurement> {
  const random = new SeededRandom(seed);
  const chosen = sampleIndexes(paths.length, Math.min(UPDATES, paths.length), () => random.next()).map((i) => paths[i]!);
  setup.server.sampler.reset();
  const clientMs: number[] = [];
  const serverMs: number[] = [];
  const findingCounts: number[] = [];
  for (const [i, path] of chosen.entries()) {
    const original = readFileSync(join(setup.tree, path));
    const edited = Buffer.concat([original, Buffer.from(`\nexport const auxilBenchEdit${i} = ${i};\n`)]);
    const url = `/v1/projects/${setup.project}/files/${encodeFilePath(path)}`;
    const headers = { 'Content-Type': 'text/plain; charset=utf-8' };
    const { value, answer } = await setup.client.json<{ findings: unknown[] }>('PUT', url, { body: edited, headers, timeoutMs: 60_000 });
    clientMs.push(answer.clientMs);
    if (answer.serverMs !== undefined) serverMs.push(answer.serverMs);
    findingCounts.push(value.findings.length);
    await setup.client.call('PUT', url, { body: original, headers, timeoutMs: 60_000 });
  }
  return {
    status: 'ok',
    projectFiles: paths.length,
    edit: 'a statement appended: `export const auxilBenchEdit<i> = <i>;` (then the original put back, untimed)',
    clientMs: summarize(clientMs),
    serverMs: summarize(serverMs),
    findingsP50: summarize(findingCounts).p50Ms,
    server: setup.server.sampler.peaks(),
  };
}
