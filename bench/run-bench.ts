// `npm run bench [-- --quick] [-- --seed N] [-- --api] [-- --mcp] [-- --lsp]`: builds (or reuses) the planted corpus, runs jscpd
// 5.3.2 twice and Auxil once on it, scores every run the same way, prints one line per run and
// the Auxil/jscpd ratios, and writes the results to bench/results/. See bench/README.md.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runApiSuite } from './api/api-suite.js';
import type { ApiSuiteResult } from './api/api-results.js';
import { ensurePlantedCorpus } from './corpus/planted-corpus.js';
import { lspLines, runLspSuite, type LspSuiteResult } from './lsp/lsp-suite.js';
import { mcpLines, runMcpSuite, type McpSuiteResult } from './mcp/mcp-suite.js';
import { EXTRA_MEASUREMENTS, type ExtraMeasurementResult } from './extra-measurements.js';
import { apiLines } from './report/api-report.js';
import { extraLine, ratioLines, runLine, TARGETS, type ScoredRun } from './report/bench-report.js';
import { runAuxil } from './runners/auxil-runner.js';
import { ensureJscpd, JSCPD_RECALL_FLAGS, runJscpd } from './runners/jscpd-runner.js';
import type { RunSettings, ToolRun } from './runners/tool-run.js';
import { DEFAULT_VERIFICATION, estimatePrecision } from './scoring/precision.js';
import { scoreRecall } from './scoring/recall.js';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = join(benchDir, '..');
const ALL_TOOLS = ['jscpd-default', 'jscpd-recall', 'auxil'] as const;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    seed: { type: 'string', default: '1' },
    'per-type': { type: 'string' },
    'timeout-min': { type: 'string' },
    sample: { type: 'string', default: '300' },
    tools: { type: 'string' },
    api: { type: 'boolean', default: false },
    mcp: { type: 'boolean', default: false },
    lsp: { type: 'boolean', default: false },
    runs: { type: 'string', default: '1' },
    'keep-reports': { type: 'boolean', default: false },
  },
  strict: true,
});

function integerOption(name: string, raw: string | undefined, fallback: number): number {
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`--${name} must be a non-negative integer (got ${String(raw)})`);
    process.exit(2);
  }
  return value;
}

const size = values.quick ? 'quick' : 'large';
const seed = integerOption('seed', values.seed, 1);
const perType = integerOption('per-type', values['per-type'], size === 'large' ? 300 : 100);
const timeoutMs = integerOption('timeout-min', values['timeout-min'], size === 'large' ? 90 : 15) * 60_000;
const sampleSize = integerOption('sample', values.sample, 300);
const repeats = Math.max(1, integerOption('runs', values.runs, 1));
// `--api`, `--mcp` and `--lsp` alone run those suites only; with `--tools` they run after those tools.
const apiOnly = (values.api || values.mcp || values.lsp) && values.tools === undefined;
const tools = (values.tools ?? (apiOnly ? '' : ALL_TOOLS.join(','))).split(',').filter((tool) => tool !== '');
const unknown = tools.filter((tool) => !(ALL_TOOLS as readonly string[]).includes(tool));
if (unknown.length > 0) {
  console.error(`unknown --tools ${unknown.join(',')}; known: ${ALL_TOOLS.join(',')}`);
  process.exit(2);
}
const log = (line: string): void => console.error(`[bench] ${line}`);

/**
 * Runs a tool `--runs` times (stopping at the first run that does not succeed) and keeps the run
 * with the median wall time, its peak RSS and report; every run's figures go to the results JSON.
 */
async function repeated(runOnce: () => Promise<ToolRun>): Promise<ToolRun> {
  const done: ToolRun[] = [];
  for (let k = 0; k < repeats; k++) {
    const run = await runOnce();
    done.push(run);
    if (run.status !== 'ok') return { ...run, repeats: done.map((each) => each.measured).filter((m) => m !== undefined) };
  }
  const byWall = [...done].sort((a, b) => a.measured!.wallMs - b.measured!.wallMs);
  const median = byWall[Math.floor((byWall.length - 1) / 2)]!;
  return { ...median, repeats: done.map((each) => each.measured!) };
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const loadBefore = loadavg();
  const corpus = ensurePlantedCorpus(join(benchDir, '.corpus'), size, seed, perType, log);
  const plantedCounts = [1, 2, 3].map((type) => corpus.truth.plants.filter((plant) => plant.type === type).length);
  log(
    `corpus ${size}: ${corpus.files.toLocaleString('en-US')} files, ${(corpus.bytes / 1e6).toFixed(1)} MB; planted T1/T2/T3 ${plantedCounts.join('/')}`,
  );
  for (const note of corpus.notes) log(note);

  const outputDir = mkdtempSync(join(tmpdir(), 'auxil-bench-'));
  const settings: RunSettings = { tree: corpus.tree, outputDir, timeoutMs, minTokens: 50, minLines: 5 };
  const auxilCli = join(repoRoot, 'backend', 'dist', 'cli.js');
  const runs: ToolRun[] = [];
  // One tool at a time, so that no run competes with another for the two cores.
  if (tools.some((tool) => tool.startsWith('jscpd'))) {
    const launcher = ensureJscpd(join(benchDir, '.tools'), log);
    for (const mode of ['default', 'recall'] as const) {
      if (!tools.includes(`jscpd-${mode}`)) continue;
      log(`running jscpd (${mode}) …`);
      runs.push(await repeated(() => runJscpd(launcher, mode, settings)));
    }
  }
  if (tools.includes('auxil')) {
    log('running Auxil …');
    runs.push(await repeated(() => runAuxil(auxilCli, settings)));
  }

  const scored: ScoredRun[] = runs.map((run) => {
    if (run.status !== 'ok' || run.report === undefined) return { run };
    log(`scoring ${run.label} …`);
    return {
      run,
      recall: scoreRecall(run.report, corpus.truth.plants),
      precision: estimatePrecision(run.report, corpus.tree, seed, sampleSize),
    };
  });

  const extras: { key: string; label: string; result: ExtraMeasurementResult }[] = [];
  for (const measurement of apiOnly ? [] : EXTRA_MEASUREMENTS) {
    const result = await measurement.run({ corpus, seed, auxilCli, timeoutMs, log });
    extras.push({ key: measurement.key, label: measurement.label, result });
  }

  console.log(
    `corpus ${size} (seed ${seed}): ${corpus.files.toLocaleString('en-US')} files, ${(corpus.bytes / 1e6).toFixed(1)} MB, ` +
      `planted T1/T2/T3 = ${plantedCounts.join('/')}`,
  );
  for (const entry of scored) console.log(runLine(entry));
  // The ratios need the tool runs; an API-only run has none.
  const ratios = apiOnly
    ? []
    : ratioLines(
        scored.find((entry) => entry.run.key === 'auxil'),
        scored.find((entry) => entry.run.key === 'jscpd-default'),
      );
  for (const line of ratios) console.log(line);
  for (const extra of extras) console.log(extraLine(extra.label, extra.result));
  let api: ApiSuiteResult | undefined;
  if (values.api) {
    log('running the backend (API) suite …');
    api = await runApiSuite({ corpus, seed, auxilCli, log });
    for (const line of apiLines(api)) console.log(line);
  }
  let mcp: McpSuiteResult | undefined;
  if (values.mcp) {
    log('running the MCP suite …');
    mcp = await runMcpSuite({ corpus, seed, auxilCli, log });
    for (const line of mcpLines(mcp)) console.log(line);
  }
  let lsp: LspSuiteResult | undefined;
  if (values.lsp) {
    log('running the language-server suite …');
    lsp = await runLspSuite({ corpus, auxilCli, log });
    for (const line of lspLines(lsp)) console.log(line);
  }

  const results = {
    version: 1,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      totalMemBytes: totalmem(),
      freeMemBytes: freemem(),
      node: process.version,
      loadBefore,
      loadAfter: loadavg(),
    },
    corpus: {
      size,
      seed,
      files: corpus.files,
      bytes: corpus.bytes,
      packages: corpus.cache.packages,
      listHash: corpus.cache.listHash,
      excluded: corpus.cache.excluded,
      planted: { t1: plantedCounts[0], t2: plantedCounts[1], t3: plantedCounts[2] },
      notes: corpus.notes,
    },
    rules: {
      overlap: 'each fragment covers >= 50% of its planted region',
      verification: DEFAULT_VERIFICATION,
      sampleSize,
      jscpdRecallFlags: JSCPD_RECALL_FLAGS,
    },
    targets: TARGETS,
    runs: scored.map(({ run, recall, precision }) => ({
      key: run.key,
      label: run.label,
      status: run.status,
      message: run.message,
      command: run.command,
      measured: run.measured && { ...run.measured, stderrTail: undefined },
      repeats: run.repeats?.map((each) => ({ wallMs: each.wallMs, peakTreeRssBytes: each.peakTreeRssBytes })),
      filesAnalysed: run.report?.filesAnalysed,
      reportBytes: run.reportBytes,
      reportedGroups: run.report?.groups.length,
      recall: recall && { byType: recall.byType, missed: recall.missed },
      precision: precision && {
        reportedPairs: precision.reportedPairs,
        estimate: precision.estimate,
        falsePairs: precision.sample.filter((pair) => !pair.trueClone),
      },
    })),
    extras,
    api,
    mcp,
    lsp,
  };
  const resultsDir = join(benchDir, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const suffix = apiOnly ? (values.api ? '-api' : values.mcp ? '-mcp' : '-lsp') : '';
  const resultsFile = join(resultsDir, `${size}-seed${seed}${suffix}-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  log(`results written to ${resultsFile}`);
  if (values['keep-reports']) log(`tool reports kept in ${outputDir}`);
  else rmSync(outputDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
