import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { CorpusFile } from '../corpus/corpus-cache.js';
import { replaceFile } from '../corpus/working-tree.js';
import { makeCopy, type CopyText } from './copy-maker.js';
import { findCandidates, hasSyntaxErrors, parseSource, signatureLines, type FunctionCandidate } from './function-candidates.js';
import { CLONE_TYPES, type CloneType, type GroundTruth, type PlantedClone } from './ground-truth.js';
import { indent } from './layout.js';
import { SeededRandom } from './seeded-random.js';

/** Hosts above this size get no appended copy, so that every file stays under the corpus's 1 MB limit. */
const MAX_HOST_BYTES = 500_000;

/** How many unique candidate functions to collect per copy needed: some cannot carry Type-2 or Type-3. */
const CANDIDATES_PER_COPY = 1.5;

const packageOf = (path: string): string => path.slice(0, path.indexOf('/'));

interface PlantJob {
  readonly id: string;
  readonly type: CloneType;
  readonly candidate: FunctionCandidate;
  readonly copy: CopyText;
}

interface PlacedBlock {
  readonly job: PlantJob;
  /** Lines before the copy (wrapper head), the copy, lines after it. */
  readonly head: string | undefined;
  readonly body: string;
  readonly tail: string | undefined;
}

function wrap(job: PlantJob): PlacedBlock {
  const name = `planted_${job.id.replace('-', '_')}`;
  if (job.candidate.shape === 'member') {
    return { job, head: `class ${name.charAt(0).toUpperCase()}${name.slice(1)} {`, body: indent(job.copy.text, '  '), tail: '}' };
  }
  if (job.candidate.shape === 'expression') return { job, head: undefined, body: `const ${name} = ${job.copy.text};`, tail: undefined };
  return { job, head: undefined, body: job.copy.text, tail: undefined };
}

const lineCount = (text: string): number => text.split('\n').length;

// Two independent 32-bit string hashes folded into one 53-bit number: a Map keyed by numbers holds
// the line counts of a whole corpus in a fraction of the memory the lines themselves would take.
function lineHash(line: string): number {
  let fnv = 0x811c9dc5;
  let djb = 5381;
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    fnv = Math.imul(fnv ^ code, 0x01000193) >>> 0;
    djb = (Math.imul(djb, 33) + code) >>> 0;
  }
  return fnv * 0x200000 + (djb & 0x1fffff);
}

/** How often each distinctive line (trimmed, 24 characters or more) occurs in the whole corpus. */
class LineCounts {
  private readonly counts = new Map<number, number>();

  constructor(tree: string, files: readonly CorpusFile[]) {
    for (const file of files) {
      for (const line of readFileSync(join(tree, file.path), 'utf8').split('\n')) {
        const trimmed = line.trim();
        if (trimmed.length < 24) continue;
        const hash = lineHash(trimmed);
        this.counts.set(hash, (this.counts.get(hash) ?? 0) + 1);
      }
    }
  }

  /**
   * Whether a function's distinctive lines occur nowhere else in the corpus. Packages often ship
   * the same function several times (sources, CommonJS and ES builds); a copy planted from such a
   * function could rightly be paired by a tool with one of its other homes, which the scorer would
   * count as a miss. Planting only from unique functions makes the original the one partner.
   */
  isUnique(functionText: string): boolean {
    const lines = signatureLines(functionText);
    if (lines.length < 2) return false;
    const own = functionText.split('\n').map((line) => line.trim());
    return lines.every((line) => this.counts.get(lineHash(line)) === own.filter((ownLine) => ownLine === line).length);
  }
}

/**
 * Collects candidate functions that are unique in the corpus from files visited in seeded random
 * order, at most one per file, until `wanted` are found or the files run out.
 */
function collectCandidates(
  tree: string,
  order: readonly string[],
  wanted: number,
  random: SeededRandom,
  texts: Map<string, string>,
  lineCounts: LineCounts,
): { pool: FunctionCandidate[]; filesParsed: number } {
  const pool: FunctionCandidate[] = [];
  let filesParsed = 0;
  for (const path of order) {
    if (pool.length >= wanted) break;
    const text = readFileSync(join(tree, path), 'utf8');
    const sourceFile = parseSource(path, text);
    filesParsed++;
    if (hasSyntaxErrors(sourceFile)) continue;
    const candidates = findCandidates(path, sourceFile).filter((candidate) =>
      lineCounts.isUnique(text.slice(candidate.start, candidate.end)),
    );
    if (candidates.length === 0) continue;
    pool.push(random.pick(candidates));
    texts.set(path, text);
  }
  return { pool, filesParsed };
}

/** Makes the copies: each candidate goes to the type with the fewest copies so far that it can carry. */
function makeJobs(pool: readonly FunctionCandidate[], perType: number, random: SeededRandom, texts: Map<string, string>): PlantJob[] {
  const jobs: PlantJob[] = [];
  const counts = new Map<CloneType, number>(CLONE_TYPES.map((type) => [type, 0]));
  for (const candidate of pool) {
    const needing = CLONE_TYPES.filter((type) => counts.get(type)! < perType).sort((a, b) => counts.get(a)! - counts.get(b)! || a - b);
    if (needing.length === 0) break;
    const sourceFile = parseSource(candidate.file, texts.get(candidate.file)!);
    for (const type of needing) {
      const copy = makeCopy(sourceFile, candidate, type, random);
      if (copy === undefined) continue;
      const count = counts.get(type)! + 1;
      counts.set(type, count);
      jobs.push({ id: `t${type}-${String(count).padStart(4, '0')}`, type, candidate, copy });
      break;
    }
  }
  return jobs;
}

/** What planting did to the tree, for the log and the README. */
export interface PlantSummary {
  readonly truth: GroundTruth;
  readonly appended: number;
  readonly created: number;
  readonly bytesAdded: number;
  readonly filesParsed: number;
  readonly uniqueCandidates: number;
}

/**
 * Plants `perType` copies of each clone type into the working tree (which must be a copy, see
 * working-tree.ts): real functions are picked from the corpus, changed as their type requires,
 * and either appended to another file with the same extension in another package, or written as a
 * new file into a folder of another package. Deterministic for a seed and a corpus.
 */
export function plantClones(tree: string, files: readonly CorpusFile[], perType: number, seed: number, corpusName: string): PlantSummary {
  const random = new SeededRandom(seed);
  const texts = new Map<string, string>();
  const order = random.shuffle(files.map((file) => file.path));
  const wanted = Math.ceil(perType * CLONE_TYPES.length * CANDIDATES_PER_COPY);
  const { pool, filesParsed } = collectCandidates(tree, order, wanted, random, texts, new LineCounts(tree, files));
  const jobs = makeJobs(pool, perType, random, texts);

  const originals = new Set(jobs.map((job) => job.candidate.file));
  const bytes = new Map(files.map((file) => [file.path, file.bytes]));
  const hostsByExt = new Map<string, string[]>();
  for (const path of random.shuffle(files.map((file) => file.path))) {
    if (originals.has(path) || bytes.get(path)! > MAX_HOST_BYTES) continue;
    const ext = extname(path);
    hostsByExt.set(ext, [...(hostsByExt.get(ext) ?? []), path]);
  }
  const folders = [...new Set(files.map((file) => dirname(file.path)))].sort();
  const appendTo = new Map<string, PlacedBlock[]>();
  const created: { path: string; block: PlacedBlock }[] = [];
  const usedHosts = new Set<string>();
  for (const job of jobs) {
    const block = wrap(job);
    const ext = extname(job.candidate.file);
    const home = packageOf(job.candidate.file);
    const hosts = (hostsByExt.get(ext) ?? []).filter((path) => !usedHosts.has(path) && packageOf(path) !== home);
    if (random.chance(0.5) && hosts.length > 0) {
      const host = random.pick(hosts.slice(0, 50));
      usedHosts.add(host);
      appendTo.set(host, [block]);
    } else {
      const others = folders.filter((folder) => packageOf(`${folder}/`) !== home);
      const folder = random.pick(others.length > 0 ? others : folders);
      created.push({ path: `${folder}/${basename(job.candidate.file, ext)}-${job.id}${ext}`, block });
    }
  }

  const plants: PlantedClone[] = [];
  const record = (block: PlacedBlock, file: string, firstLine: number): void => {
    const { job } = block;
    const startLine = firstLine + (block.head === undefined ? 0 : 1);
    plants.push({
      id: job.id,
      type: job.type,
      original: { file: job.candidate.file, startLine: job.candidate.startLine, endLine: job.candidate.endLine },
      copy: { file, startLine, endLine: startLine + lineCount(block.body) - 1 },
      tokens: job.candidate.tokens,
      similarity: job.copy.similarity,
      edits: job.copy.edits,
    });
  };
  const blockText = (block: PlacedBlock): string => [block.head, block.body, block.tail].filter((part) => part !== undefined).join('\n');
  let bytesAdded = 0;
  for (const [host, blocks] of [...appendTo].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const before = readFileSync(join(tree, host), 'utf8');
    let content = before;
    if (!content.endsWith('\n')) content += '\n';
    for (const block of blocks) {
      content += '\n';
      record(block, host, lineCount(content));
      content += `${blockText(block)}\n`;
    }
    replaceFile(join(tree, host), content);
    bytesAdded += Buffer.byteLength(content) - Buffer.byteLength(before);
  }
  for (const { path, block } of created) {
    const content = `${blockText(block)}\n`;
    writeFileSync(join(tree, path), content);
    bytesAdded += Buffer.byteLength(content);
    record(block, path, 1);
  }
  plants.sort((a, b) => (a.id < b.id ? -1 : 1));
  return {
    truth: { version: 1, seed, corpus: corpusName, plants },
    appended: appendTo.size,
    bytesAdded,
    created: created.length,
    filesParsed,
    uniqueCandidates: pool.length,
  };
}
