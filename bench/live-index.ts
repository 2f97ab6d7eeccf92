// One Auxil index of a planted corpus, held in memory, for what a one-shot analysis cannot show:
// its memory once loaded, the latency of replacing one file (and getting that file's clone
// classes), and the latency of similar-code queries. Runs in its own process so that the
// measurement sees only the index:
//   node --expose-gc --import tsx bench/live-index.ts <tree> <ground-truth.json> <seed>
// It prints one JSON object (LiveIndexReport) on standard output.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDirectory } from '../backend/src/analysis/analyze-directory.js';
import { prepareFile } from '../backend/src/engine/index.js';
import type { GroundTruth } from './injection/ground-truth.js';
import { SeededRandom } from './injection/seeded-random.js';

export interface LiveIndexReport {
  readonly files: number;
  readonly buildMs: number;
  /**
   * After a full garbage collection, with the index loaded and nothing else: the JS heap, the
   * index's typed arrays (records and posting tables, most of them on shared memory outside the
   * heap), their sum, and the process's resident memory (which also holds what the scan's worker
   * threads freed but the allocator kept).
   */
  readonly memory: { readonly indexMb: number; readonly heapUsedMb: number; readonly arraysMb: number; readonly rssMb: number };
  readonly pairs: number;
  readonly updateMs: number[];
  readonly queryMs: number[];
  /** Queries whose answer listed the planted copy or its original. */
  readonly queriesAnswered: number;
}

const UPDATES = 200;
const QUERIES = 300;

function overlaps(a: { startLine: number; endLine: number }, b: { startLine: number; endLine: number }): boolean {
  return a.startLine <= b.endLine && b.startLine <= a.endLine;
}

async function main(): Promise<void> {
  const [tree, truthFile, seedText] = process.argv.slice(2);
  if (!tree || !truthFile) throw new Error('usage: live-index.ts <tree> <ground-truth.json> [seed]');
  const random = new SeededRandom(Number(seedText ?? 1));
  const truth = JSON.parse(readFileSync(truthFile, 'utf8')) as GroundTruth;

  const started = performance.now();
  const { model } = await analyzeDirectory({ root: tree, defaultIgnores: false, gitignore: false });
  const buildMs = performance.now() - started;
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const usage = process.memoryUsage();
  const stats = model.clones.stats();
  const mb = (bytes: number): number => Math.round(bytes / 1e6);
  const arrays = stats.recordBytes + stats.postingBytes;
  const memory = { indexMb: mb(usage.heapUsed + arrays), heapUsedMb: mb(usage.heapUsed), arraysMb: mb(arrays), rssMb: mb(usage.rss) };

  // Replacing one file: lex and fingerprint its new text, update the index, and ask for its
  // classes, as the backend does on every edit. The edit is a statement added at the end.
  const paths = [...model.clones.paths()];
  const updateMs: number[] = [];
  for (let i = 0; i < UPDATES; i++) {
    const path = paths[random.int(0, paths.length - 1)] as string;
    const original = readFileSync(join(tree, path), 'utf8');
    const edited = `${original}\nexport const auxilBenchEdit${i} = ${i};\n`;
    const begin = performance.now();
    model.update(path, prepareFile(path, edited, model.clones.options));
    model.classesOf(path);
    updateMs.push(performance.now() - begin);
    model.update(path, prepareFile(path, original, model.clones.options));
  }

  // "Does this already exist?": each planted original's text as the snippet.
  const queryMs: number[] = [];
  let queriesAnswered = 0;
  const plants = [...truth.plants];
  for (let i = 0; i < Math.min(QUERIES, plants.length); i++) {
    const plant = plants.splice(random.int(0, plants.length - 1), 1)[0];
    if (!plant) break;
    const lines = readFileSync(join(tree, plant.original.file), 'utf8').split(/\r?\n/);
    const snippet = lines.slice(plant.original.startLine - 1, plant.original.endLine).join('\n');
    const extension = plant.original.file.slice(plant.original.file.lastIndexOf('.') + 1);
    const begin = performance.now();
    const record = prepareFile(`snippet.${extension}`, snippet, model.clones.options);
    const matches = record ? model.similarTo(record, { limit: 10 }) : [];
    queryMs.push(performance.now() - begin);
    if (matches.some((m) => [plant.copy, plant.original].some((place) => place.file === m.path && overlaps(place, m)))) queriesAnswered++;
  }

  const report: LiveIndexReport = { files: model.size, buildMs, memory, pairs: stats.pairs, updateMs, queryMs, queriesAnswered };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
