import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CorpusFile } from '../corpus/corpus-cache.js';
import { linkWorkingTree } from '../corpus/working-tree.js';
import { TYPE3_SIMILARITY } from '../injection/copy-maker.js';
import type { GroundTruth, PlantedClone } from '../injection/ground-truth.js';
import { joinOrSplitLine, protectedLines, reindent } from '../injection/layout.js';
import { plantClones } from '../injection/planter.js';
import { SeededRandom } from '../injection/seeded-random.js';
import { applyEdits, OverlappingEditsError } from '../injection/text-edits.js';
import { normalizedTokens, scanTokens } from '../tokens/token-scanner.js';
import { tokenSimilarity } from '../tokens/token-similarity.js';

// A stand-in corpus written by the test: the real corpora are tens of megabytes of npm packages,
// too slow for a unit test; these functions have the shapes the injector looks for (parameters,
// locals, literals, nested statements, TypeScript types), each with lines of its own.
function javascriptFunction(i: number): string {
  return `'use strict';

function summarize${i}(records, options) {
  const threshold${i} = options.limit === undefined ? ${i + 10} : options.limit;
  let accepted = 0;
  const labels = [];
  for (const record of records) {
    if (record.weight${i} > threshold${i}) {
      accepted += record.weight${i} * ${i + 2};
      labels.push('item-${i}-' + record.name);
    }
  }
  if (accepted === 0) {
    return { accepted, labels, message: 'nothing matched for summarize${i}' };
  }
  const average${i} = accepted / Math.max(1, labels.length);
  console.log('summary number ${i} is ready', average${i});
  return { accepted, labels, average: average${i}, source: 'summarize${i}' };
}

module.exports = { summarize${i} };
`;
}

function typescriptClass(i: number): string {
  return `export interface Entry${i} { name: string; weight: number }

export class Ledger${i} {
  private readonly entries${i}: Entry${i}[] = [];

  record(entry: Entry${i}, factor: number): Entry${i}[] {
    const scaled${i}: Entry${i} = { name: entry.name + '-scaled-${i}', weight: entry.weight * factor };
    if (scaled${i}.weight > ${i * 3 + 7}) {
      this.entries${i}.push(scaled${i});
    } else {
      console.warn('entry ${i} dropped because it is too light', scaled${i}.weight);
    }
    let total${i} = 0;
    for (const kept of this.entries${i}) {
      total${i} += kept.weight;
    }
    console.log('ledger ${i} now weighs', total${i});
    return this.entries${i}.slice();
  }
}
`;
}

function writeCorpus(cache: string): CorpusFile[] {
  const files: CorpusFile[] = [];
  for (let i = 0; i < 24; i++) {
    const path = i % 2 === 0 ? `pkg-${i % 3}/lib/sum${i}.js` : `pkg-${i % 3}/src/ledger${i}.ts`;
    const source = join(cache, path);
    mkdirSync(join(source, '..'), { recursive: true });
    writeFileSync(source, i % 2 === 0 ? javascriptFunction(i) : typescriptClass(i));
    files.push({ path, source, bytes: statSync(source).size });
  }
  return files;
}

function listTree(dir: string): Map<string, string> {
  const contents = new Map<string, string>();
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder).sort()) {
      const full = join(folder, name);
      if (statSync(full).isDirectory()) walk(full);
      else contents.set(relative(dir, full), readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return contents;
}

function regionText(tree: string, region: PlantedClone['copy']): string {
  return readFileSync(join(tree, region.file), 'utf8')
    .split('\n')
    .slice(region.startLine - 1, region.endLine)
    .join('\n');
}

describe('planting copies into a corpus', () => {
  let root: string;
  let cacheFiles: CorpusFile[];
  let cacheBefore: Map<string, string>;
  const planted: { tree: string; truth: GroundTruth }[] = [];

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'auxil-bench-test-'));
    cacheFiles = writeCorpus(join(root, 'cache'));
    cacheBefore = listTree(join(root, 'cache'));
    for (const [name, seed] of [
      ['first', 7],
      ['second', 7],
      ['other-seed', 8],
    ] as const) {
      const tree = join(root, name);
      linkWorkingTree(tree, cacheFiles);
      planted.push({ tree, truth: plantClones(tree, cacheFiles, 2, seed, name).truth });
    }
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  test('the same seed plants the same copies in the same places, byte for byte', () => {
    const [first, second] = planted;
    assert.deepEqual({ ...first!.truth, corpus: '' }, { ...second!.truth, corpus: '' });
    assert.deepEqual(listTree(first!.tree), listTree(second!.tree));
  });

  test('another seed plants differently', () => {
    assert.notDeepEqual(planted[0]!.truth.plants, planted[2]!.truth.plants);
  });

  test('the hard-linked cache is never modified', () => {
    assert.deepEqual(listTree(join(root, 'cache')), cacheBefore);
  });

  test('two copies of each type are planted, each in another file than its original', () => {
    const { truth } = planted[0]!;
    assert.deepEqual(
      [1, 2, 3].map((type) => truth.plants.filter((plant) => plant.type === type).length),
      [2, 2, 2],
    );
    for (const plant of truth.plants) assert.notEqual(plant.copy.file, plant.original.file);
    assert.equal(new Set(truth.plants.map((plant) => plant.original.file)).size, truth.plants.length, 'each original is used once');
  });

  test('a Type-1 copy has exactly the original tokens, laid out differently', () => {
    const { tree, truth } = planted[0]!;
    for (const plant of truth.plants.filter((p) => p.type === 1)) {
      const original = regionText(tree, plant.original);
      const copy = regionText(tree, plant.copy);
      const tokens = (text: string): string[] => scanTokens(text).map((token) => token.text);
      assert.notEqual(copy, original);
      // The copy of a function expression starts with the `const planted_… =` that holds it.
      assert.deepEqual(tokens(copy).slice(-tokens(original).length), tokens(original));
    }
  });

  test('a Type-2 copy has the same normalised tokens but renamed identifiers or changed literals', () => {
    const { tree, truth } = planted[0]!;
    for (const plant of truth.plants.filter((p) => p.type === 2)) {
      const original = regionText(tree, plant.original);
      const copy = regionText(tree, plant.copy);
      assert.deepEqual(normalizedTokens(copy), normalizedTokens(original));
      const raw = (text: string): string[] => scanTokens(text).map((token) => token.text);
      assert.notDeepEqual(raw(copy), raw(original));
      assert.match(plant.edits[0]!, /[1-9]\d* names/);
    }
  });

  test('a Type-3 copy is 70–90% similar to its original after normalisation, with statement edits', () => {
    const { tree, truth } = planted[0]!;
    for (const plant of truth.plants.filter((p) => p.type === 3)) {
      const similarity = tokenSimilarity(
        normalizedTokens(regionText(tree, plant.original)),
        normalizedTokens(regionText(tree, plant.copy)),
      );
      assert.ok(similarity >= TYPE3_SIMILARITY.min && similarity <= TYPE3_SIMILARITY.max, `${plant.id}: ${similarity}`);
      assert.ok(Math.abs(similarity - plant.similarity) < 1e-9);
      assert.ok(
        plant.edits.some((edit) => /^(insert|delete|modify) at line/.test(edit)),
        plant.edits.join('; '),
      );
    }
  });
});

describe('layout changes keep the tokens', () => {
  const code = 'function f(a, b) {\n  const s = `one\n  two ${a}`;\n  return g(a, b, s);\n}';

  test('lines inside a multi-line template literal are protected', () => {
    assert.deepEqual([...protectedLines(code)], [2]);
  });

  test('re-indenting leaves template contents alone and tokens unchanged', () => {
    const changed = reindent(code);
    assert.ok(changed.includes('\n  two ${a}'));
    assert.ok(changed.includes('\n    return g'));
    assert.deepEqual(
      scanTokens(changed).map((t) => t.text),
      scanTokens(code).map((t) => t.text),
    );
  });

  test('joining or splitting a line keeps the tokens', () => {
    for (let seed = 1; seed < 10; seed++) {
      const changed = joinOrSplitLine(code, new SeededRandom(seed));
      assert.notEqual(changed, code);
      assert.deepEqual(
        scanTokens(changed).map((t) => t.text),
        scanTokens(code).map((t) => t.text),
      );
    }
  });
});

describe('supporting pieces', () => {
  test('the seeded generator repeats itself for a seed and samples without repeats', () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    assert.deepEqual([a.next(), a.next(), a.int(1, 6)], [b.next(), b.next(), b.int(1, 6)]);
    const sample = new SeededRandom(3).sampleIndices(1000, 300);
    assert.equal(new Set(sample).size, 300);
    assert.ok(sample.every((index) => index >= 0 && index < 1000));
    assert.deepEqual(new SeededRandom(3).sampleIndices(5, 10), [0, 1, 2, 3, 4]);
  });

  test('text edits apply in order and refuse to overlap', () => {
    assert.equal(
      applyEdits('let a = b;', [
        { start: 8, end: 9, text: 'c' },
        { start: 8, end: 8, text: '(' },
        { start: 9, end: 9, text: ' || 1)' },
      ]),
      'let a = (c || 1);',
    );
    assert.throws(
      () =>
        applyEdits('abcdef', [
          { start: 1, end: 4, text: '' },
          { start: 2, end: 5, text: '' },
        ]),
      OverlappingEditsError,
    );
  });

  test('token similarity is 2·LCS/(n+m)', () => {
    assert.equal(tokenSimilarity(['a', 'b', 'c', 'd'], ['a', 'b', 'c', 'd']), 1);
    assert.equal(tokenSimilarity(['a', 'b', 'c', 'd'], ['a', 'x', 'c', 'd']), 0.75);
    assert.equal(tokenSimilarity(['a', 'b'], ['c', 'd']), 0);
    assert.ok(tokenSimilarity(['a', 'b', 'c', 'd'], ['w', 'x', 'y', 'z'], 0.7) < 0.7);
  });
});
