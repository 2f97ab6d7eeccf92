// The language-server (`--lsp`) suite: the built language server over stdio, driven by a real LSP
// client, against the real built backend (`auxil serve`) on 127.0.0.1. It measures what a developer
// feels: the time from starting the server on a 5,000-file workspace to its first diagnostics, the
// time from a keystroke to updated diagnostics (debounce included), and the server's memory on the
// whole corpus (50,000+ files). See bench/README.md, "Language server".
import { cpSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ANALYSED_EXTENSIONS, ServerSettings } from '@auxil/protocol';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LanguageServerProcess } from '../../test/support/language-server.js';
import { summarize, type LatencySummary } from '../api/api-helpers.js';
import { AuxilProcess, makeTempDir, removeTempDir, runCli } from '../api/auxil-process.js';
import type { PlantedCorpus } from '../corpus/planted-corpus.js';

/** Files in the workspace of the start-up and keystroke measurements. */
export const STARTUP_FILES = 5000;
/** Edits timed per debounce setting: with 40, the p95 is the third-slowest edit, not one outlier. */
const EDITS = 40;
/** The targets. */
export const KEYSTROKE_P95_TARGET_MS = 300;
export const RSS_TARGET_BYTES = 300 * 1024 * 1024;
const SYNC_TIMEOUT_MS = 30 * 60_000;

export interface LspSuiteContext {
  readonly corpus: PlantedCorpus;
  readonly auxilCli: string;
  readonly log: (line: string) => void;
}

export interface LspSuiteResult {
  readonly startup: {
    readonly files: number;
    readonly firstDiagnosticsMs: number;
    readonly syncedMs: number;
    readonly warmFirstDiagnosticsMs: number;
  };
  /** Keystroke → updated diagnostics, per debounce setting (ms). */
  readonly keystroke: readonly { readonly debounceMs: number; readonly latency: LatencySummary }[];
  readonly memory: { readonly files: number; readonly syncedMs: number; readonly peakRssBytes: number; readonly settledRssBytes: number };
}

const analysed = new Set(ANALYSED_EXTENSIONS);

/** The corpus's source files, project-relative, sorted. */
function sourceFiles(tree: string): string[] {
  return readdirSync(tree, { recursive: true, encoding: 'utf8' })
    .map((path) => path.split(sep).join('/'))
    .filter((path) => analysed.has(path.slice(path.lastIndexOf('.') + 1).toLowerCase()))
    .sort();
}

const duplicates = (diagnostics: readonly Diagnostic[] | undefined): Diagnostic[] =>
  (diagnostics ?? []).filter((d) => d.source === 'Auxil' && d.relatedInformation !== undefined);

async function startBackend(
  cli: string,
  log: (line: string) => void,
): Promise<{ server: AuxilProcess; url: string; token: string; dataDir: string }> {
  const dataDir = makeTempDir('auxil-bench-lsp-');
  const token = runCli(cli, ['admin', 'token', '--data-dir', dataDir, '--name', 'bench']);
  const started = await AuxilProcess.start(cli, ['serve', '--port', '0', '--data-dir', dataDir], 'auxil serve', {
    ready: /listening on (http:\/\/\S+)/,
    timeoutMs: 60_000,
  });
  log(`  backend at ${started.ready}`);
  return { server: started.process, url: started.ready, token, dataDir };
}

/** Starts the language server and waits for a finished sync; times the first non-empty diagnostics too. */
async function startAndSync(
  root: string,
  settings: ServerSettings,
): Promise<{ server: LanguageServerProcess; firstDiagnosticsMs: number; syncedMs: number; phases: string }> {
  const began = performance.now();
  const server = await LanguageServerProcess.start(root, settings);
  let firstDiagnosticsMs = Number.NaN;
  await server.until(
    'a finished sync with diagnostics',
    () => {
      if (Number.isNaN(firstDiagnosticsMs) && [...server.diagnostics.values()].some((list) => list.length > 0)) {
        firstDiagnosticsMs = performance.now() - began;
      }
      // The server logs its sync's phases once the findings are in.
      return server.logs.some((line) => line.startsWith('synced ')) && !Number.isNaN(firstDiagnosticsMs);
    },
    SYNC_TIMEOUT_MS,
  );
  return {
    server,
    firstDiagnosticsMs,
    syncedMs: performance.now() - began,
    phases: server.logs.find((line) => line.startsWith('synced ')) ?? '',
  };
}

/**
 * Toggles one copy away and back in an open file, timing each edit from the change notification to
 * the diagnostics that reflect it (the copy's diagnostic gone, then back).
 */
async function keystrokes(server: LanguageServerProcess, settings: ServerSettings, debounceMs: number): Promise<LatencySummary> {
  await server.configure({ ...settings, debounceMs });
  const [path, [copy]] = [...server.diagnostics].find(([, list]) => duplicates(list).length > 0) as [string, Diagnostic[]];
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const first = (copy as Diagnostic).range.start.line;
  const last = (copy as Diagnostic).range.end.line;
  const without = lines.map((line, n) => (n >= first && n <= last ? '' : line)).join('\n');
  const hasCopy = () => duplicates(server.diagnosticsOf(path)).some((d) => d.range.start.line === first);
  await server.open(path, text);
  const times: number[] = [];
  for (let edit = 0; edit < EDITS; edit++) {
    const removing = edit % 2 === 0;
    const began = performance.now();
    await server.change(path, removing ? without : text);
    await server.until(removing ? 'the copy gone' : 'the copy back', () => hasCopy() !== removing, 60_000);
    times.push(performance.now() - began);
  }
  await server.close(path);
  return summarize(times);
}

export async function runLspSuite(context: LspSuiteContext): Promise<LspSuiteResult> {
  const { corpus, auxilCli, log } = context;
  const files = sourceFiles(corpus.tree);
  const workspace = join(makeTempDir('auxil-bench-lsp-ws-'), 'workspace');
  for (const path of files.slice(0, STARTUP_FILES)) {
    mkdirSync(dirname(join(workspace, path)), { recursive: true });
    cpSync(join(corpus.tree, path), join(workspace, path));
  }
  let backend = await startBackend(auxilCli, log);
  const settingsFor = (url: string, token: string, project: string) => ServerSettings.parse({ serverUrl: url, token, project });
  try {
    log(`LSP 1/3: start on ${STARTUP_FILES.toLocaleString('en-US')} files, empty backend …`);
    const settings = settingsFor(backend.url, backend.token, 'startup');
    const cold = await startAndSync(workspace, settings);
    log(`  first diagnostics after ${(cold.firstDiagnosticsMs / 1000).toFixed(1)} s, synced after ${(cold.syncedMs / 1000).toFixed(1)} s`);
    log(`  ${cold.phases}`);
    log('LSP 2/3: keystroke → updated diagnostics …');
    const keystroke = [];
    for (const debounceMs of [settings.debounceMs, 300]) {
      const latency = await keystrokes(cold.server, settings, debounceMs);
      log(`  debounce ${debounceMs} ms: p50 ${latency.p50Ms} ms, p95 ${latency.p95Ms} ms`);
      keystroke.push({ debounceMs, latency });
    }
    await cold.server.stop();
    const warm = await startAndSync(workspace, settings);
    log(`  second start (backend already has the files): first diagnostics after ${(warm.firstDiagnosticsMs / 1000).toFixed(1)} s`);
    log(`  ${warm.phases}`);
    await warm.server.stop();
    await backend.server.stop();
    removeTempDir(backend.dataDir);

    log(`LSP 3/3: memory on the whole corpus, ${files.length.toLocaleString('en-US')} files …`);
    backend = await startBackend(auxilCli, log);
    const whole = settingsFor(backend.url, backend.token, 'whole');
    const big = await startAndSync(corpus.tree, whole);
    log(`  ${big.phases}`);
    const settled = await big.server.memory();
    log(
      `  synced after ${(big.syncedMs / 1000).toFixed(1)} s; RSS now ${(settled.rss / 2 ** 20).toFixed(0)} MB, peak ${(settled.peak / 2 ** 20).toFixed(0)} MB`,
    );
    await big.server.stop();
    return {
      startup: {
        files: STARTUP_FILES,
        firstDiagnosticsMs: cold.firstDiagnosticsMs,
        syncedMs: cold.syncedMs,
        warmFirstDiagnosticsMs: warm.firstDiagnosticsMs,
      },
      keystroke,
      memory: { files: files.length, syncedMs: big.syncedMs, peakRssBytes: settled.peak, settledRssBytes: settled.rss },
    };
  } finally {
    await backend.server.stop();
    removeTempDir(backend.dataDir);
    removeTempDir(dirname(workspace));
  }
}

/** The suite's figures, one line each, with the targets. */
export function lspLines(result: LspSuiteResult): string[] {
  const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MB`;
  const meets = (ok: boolean): string => (ok ? 'meets' : 'MISSES');
  return [
    `LSP start on ${result.startup.files.toLocaleString('en-US')} files → first diagnostics ${(result.startup.firstDiagnosticsMs / 1000).toFixed(1)} s ` +
      `(sync done ${(result.startup.syncedMs / 1000).toFixed(1)} s; second start ${(result.startup.warmFirstDiagnosticsMs / 1000).toFixed(1)} s)`,
    ...result.keystroke.map(
      (entry) =>
        `LSP keystroke → diagnostics, debounce ${entry.debounceMs} ms: p50 ${entry.latency.p50Ms} ms, p95 ${entry.latency.p95Ms} ms ` +
        `(n ${entry.latency.n}; target ≤ ${KEYSTROKE_P95_TARGET_MS} ms: ${meets(entry.latency.p95Ms <= KEYSTROKE_P95_TARGET_MS)})`,
    ),
    `LSP memory on ${result.memory.files.toLocaleString('en-US')} files: peak RSS ${mb(result.memory.peakRssBytes)}, after sync ${mb(result.memory.settledRssBytes)} ` +
      `(sync ${(result.memory.syncedMs / 1000).toFixed(1)} s; target ≤ ${mb(RSS_TARGET_BYTES)}: ${meets(result.memory.peakRssBytes <= RSS_TARGET_BYTES)})`,
  ];
}
