// Symbol search micro-benchmark: indexes about 1M synthetic symbols (50,000 files of 20) named the
// way real code names things, then times queries of the shapes people type.
//   node --import tsx bench/symbol-search.ts [--files 50000] [--queries 400]
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { SymbolIndex } from '../backend/src/engine/symbols/symbol-search.js';
import type { SymbolInfo, SymbolKind } from '../backend/src/engine/symbols/symbol-types.js';

const VERBS = `get set find load save create update delete remove build parse format render handle validate compute fetch
  send read write open close start stop reset init apply resolve register emit dispatch map filter reduce sort merge split
  encode decode serialize normalize convert check ensure is has can should to from with make use`.split(/\s+/);
const NOUNS = `user account order invoice payment customer product item cart session token auth config option setting
  request response header body query param route handler controller service repository store cache index file path
  directory buffer stream socket connection client server message event listener queue job worker task schedule timer
  report metric log error result value key node tree graph edge list map set entry record row column table schema model
  view component page layout theme style color image icon button form field input label menu dialog modal tab panel
  project tenant template clone fragment symbol token lexer parser scanner analysis finding convention rule`.split(/\s+/);
const SUFFIXES = [
  'Service',
  'Controller',
  'Repository',
  'Factory',
  'Provider',
  'Manager',
  'Handler',
  'Store',
  'Client',
  'Error',
  'Options',
  'Props',
];
const KINDS: SymbolKind[] = ['function', 'method', 'class', 'interface', 'type', 'constant', 'variable'];

/** mulberry32: the same names on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = seeded(42);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const cap = (word: string): string => word[0]!.toUpperCase() + word.slice(1);

function syntheticName(kind: SymbolKind): string {
  const nouns = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(NOUNS));
  switch (kind) {
    case 'class':
    case 'interface':
    case 'type':
      return nouns.map(cap).join('') + (random() < 0.5 ? pick(SUFFIXES) : '');
    case 'constant':
      return random() < 0.5 ? nouns.map((n) => n.toUpperCase()).join('_') : nouns[0]! + nouns.slice(1).map(cap).join('');
    default: {
      const words = [pick(VERBS), ...nouns];
      return random() < 0.15 ? words.join('_') : words[0]! + words.slice(1).map(cap).join('');
    }
  }
}

function argument(flag: string, fallback: number): number {
  const at = process.argv.indexOf(flag);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const fileCount = argument('--files', 50_000);
const queryCount = argument('--queries', 400);
const index = new SymbolIndex();
const allNames: string[] = [];
const buildStart = performance.now();
for (let f = 0; f < fileCount; f++) {
  const path = `src/${pick(NOUNS)}/${pick(NOUNS)}-${f}.ts`;
  const symbols: SymbolInfo[] = [];
  for (let s = 0; s < 20; s++) {
    const kind = pick(KINDS);
    const name = syntheticName(kind);
    allNames.push(name);
    symbols.push({ name, kind, startLine: s * 10 + 1, endLine: s * 10 + 8, startColumn: 0, exported: random() < 0.5 });
  }
  index.set(path, { symbols, imports: [] });
}
const buildMs = performance.now() - buildStart;

/** Query shapes as people type them, each built from a real name of the index. */
const SHAPES: Record<string, (name: string, words: string[]) => string> = {
  'prefix (3-7 chars)': (name) => name.slice(0, 3 + Math.floor(random() * 5)),
  'word initials': (_, words) => words.map((w) => w[0]!).join(''),
  'word abbreviations': (_, words) => words.map((w) => w.slice(0, 2)).join(''),
  'exact name': (name) => name,
  'one lowercase word': () => pick(NOUNS),
  'two characters': (name) => name.slice(0, 2),
};

const queries = Array.from({ length: queryCount }, (_, i) => {
  const shape = Object.keys(SHAPES)[i % Object.keys(SHAPES).length]!;
  const name = pick(allNames);
  const words = name.split(/(?=[A-Z])|_/).filter((w) => w.length > 0);
  return { shape, text: SHAPES[shape]!(name, words) };
});
for (const query of queries.slice(0, 50)) index.search(query.text);

// Wall time is what a caller waits; CPU time is the work done, and stays honest when other
// processes compete for the machine's cores.
const timesByShape = new Map<string, number[]>();
const all: number[] = [];
const cpu: number[] = [];
for (const query of queries) {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  index.search(query.text, { limit: 20 });
  const elapsed = performance.now() - start;
  const used = process.cpuUsage(cpuStart);
  all.push(elapsed);
  cpu.push((used.user + used.system) / 1000);
  timesByShape.set(query.shape, [...(timesByShape.get(query.shape) ?? []), elapsed]);
}

function percentiles(times: number[]): string {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  return `p50 ${at(50).toFixed(2)} ms, p95 ${at(95).toFixed(2)} ms, max ${sorted[sorted.length - 1]!.toFixed(2)} ms`;
}

const heapMb = process.memoryUsage().heapUsed / 1024 / 1024;
console.log(
  `symbols: ${index.size.toLocaleString('en')} in ${fileCount.toLocaleString('en')} files, distinct names: ${new Set(allNames).size.toLocaleString('en')}`,
);
console.log(`build: ${buildMs.toFixed(0)} ms, heap after build: ${heapMb.toFixed(0)} MB`);
console.log(`load average: ${loadavg()[0]!.toFixed(2)} on ${availableParallelism()} cores`);
console.log(`all ${all.length} queries (limit 20), wall: ${percentiles(all)}`);
console.log(`all ${cpu.length} queries (limit 20), CPU:  ${percentiles(cpu)}`);
for (const [shape, times] of timesByShape) console.log(`  ${shape.padEnd(20)} wall: ${percentiles(times)}`);
