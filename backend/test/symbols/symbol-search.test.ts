import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { foldCode, prepareQuery, scoreName, wordStartBits } from '../../src/engine/symbols/fuzzy-score.js';
import { SymbolIndex } from '../../src/engine/symbols/symbol-search.js';
import type { SymbolInfo, SymbolKind } from '../../src/engine/symbols/symbol-types.js';

function symbol(name: string, kind: SymbolKind = 'function', startLine = 1): SymbolInfo {
  return { name, kind, startLine, endLine: startLine + 2, startColumn: 0, exported: true };
}

function indexOf(files: Record<string, SymbolInfo[]>): SymbolIndex {
  const index = new SymbolIndex();
  for (const [path, symbols] of Object.entries(files)) index.set(path, { symbols, imports: [] });
  return index;
}

const names = (index: SymbolIndex, query: string, options?: Parameters<SymbolIndex['search']>[1]): string[] =>
  index.search(query, options).map((match) => match.symbol.name);

describe('SymbolIndex.search', () => {
  const index = indexOf({
    'src/users.ts': [symbol('userName'), symbol('getUser'), symbol('subscriber'), symbol('ruse'), symbol('users')],
    'src/model.ts': [symbol('User', 'class'), symbol('user', 'variable'), symbol('load_user_profile')],
  });

  test('exact matches rank first (exact case before other case), then prefixes, then word starts, then plain subsequences', () => {
    assert.deepEqual(names(index, 'user'), ['user', 'User', 'users', 'userName', 'getUser', 'load_user_profile', 'subscriber']);
  });

  test('matching ignores case; the query case only breaks ties', () => {
    assert.deepEqual(names(index, 'USER').slice(0, 2), ['User', 'user']);
    assert.deepEqual(names(index, 'USER').length, 7);
  });

  test('a name without the query characters in order does not match', () => {
    assert.equal(names(index, 'user').includes('ruse'), false);
    assert.deepEqual(names(index, 'xyz'), []);
  });

  test('word-start abbreviations match camelCase humps and underscores: gu → getUser, lup → load_user_profile', () => {
    assert.deepEqual(names(index, 'gu'), ['getUser']);
    assert.equal(names(index, 'lup')[0], 'load_user_profile');
  });

  test('kinds keeps only symbols of those kinds', () => {
    assert.deepEqual(names(index, 'user', { kinds: ['class', 'variable'] }), ['user', 'User']);
  });

  test('limit caps the results, keeping the best', () => {
    assert.deepEqual(names(index, 'user', { limit: 3 }), ['user', 'User', 'users']);
    assert.deepEqual(names(index, 'user', { limit: 0 }), []);
  });

  test('an empty or blank query finds nothing', () => {
    assert.deepEqual(names(index, ''), []);
    assert.deepEqual(names(index, '   '), []);
  });

  test('each hit carries its path, symbol and score, and scores never increase down the list', () => {
    const hits = index.search('user');
    assert.equal(hits[0]!.path, 'src/model.ts');
    assert.deepEqual(hits[0]!.symbol, symbol('user', 'variable'));
    for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1]!.score >= hits[i]!.score);
  });

  test('one name declared in several places lists them by path, then line', () => {
    const shared = indexOf({ 'b.ts': [symbol('run', 'function', 9)], 'a.ts': [symbol('run', 'function', 20), symbol('run', 'method', 4)] });
    assert.deepEqual(
      shared.search('run').map((m) => `${m.path}:${m.symbol.startLine}`),
      ['a.ts:4', 'a.ts:20', 'b.ts:9'],
    );
  });

  test('results do not depend on the order files were added in', () => {
    const files: Record<string, SymbolInfo[]> = {};
    for (let i = 0; i < 40; i++) files[`f${i}.ts`] = [symbol(`handle${i % 7}Event`), symbol(`handleEvent${i}`), symbol('handler')];
    const forward = indexOf(files);
    const backward = indexOf(Object.fromEntries(Object.entries(files).reverse()));
    for (const query of ['he', 'handle', 'hev', 'h3e', 'handler']) {
      assert.deepEqual(backward.search(query, { limit: 15 }), forward.search(query, { limit: 15 }), query);
    }
  });

  test('plain subsequence matches appear only when better matches do not fill the results', () => {
    const few = indexOf({ 'a.ts': [symbol('getUser'), symbol('gauge')] });
    assert.deepEqual(names(few, 'gu'), ['getUser', 'gauge']);
    const many = indexOf({ 'a.ts': [symbol('gauge'), ...Array.from({ length: 5 }, (_, i) => symbol(`get${i}User`))] });
    assert.deepEqual(names(many, 'gu', { limit: 5 }).includes('gauge'), false);
  });
});

describe('SymbolIndex updates', () => {
  test('set replaces a file’s symbols and remove forgets them', () => {
    const index = indexOf({ 'a.ts': [symbol('alpha'), symbol('beta')] });
    index.set('a.ts', { symbols: [symbol('gamma')], imports: [] });
    assert.deepEqual(names(index, 'alpha'), []);
    assert.deepEqual(names(index, 'gamma'), ['gamma']);
    assert.equal(index.size, 1);
    index.remove('a.ts');
    assert.deepEqual(names(index, 'gamma'), []);
    assert.equal(index.size, 0);
    index.remove('never-added.ts');
  });

  test('a name shared by two files stays findable until the last one is removed', () => {
    const index = indexOf({ 'a.ts': [symbol('shared')], 'b.ts': [symbol('shared')] });
    index.remove('a.ts');
    assert.deepEqual(
      index.search('shared').map((m) => m.path),
      ['b.ts'],
    );
  });

  test('churning many files through the index (names released, recycled and compacted) keeps search exact', () => {
    const index = new SymbolIndex();
    for (let round = 0; round < 4; round++) {
      for (let f = 0; f < 600; f++)
        index.set(`f${f}.ts`, { symbols: [symbol(`round${round}File${f}Loader`), symbol('commonHelper')], imports: [] });
    }
    assert.equal(index.size, 1200);
    assert.deepEqual(names(index, 'round0File'), []);
    assert.deepEqual(names(index, 'round3File599Loader'), ['round3File599Loader']);
    assert.equal(index.search('commonHelper', { limit: 1000 }).length, 600);
    for (let f = 0; f < 600; f++) index.remove(`f${f}.ts`);
    assert.deepEqual(names(index, 'loader'), []);
    index.set('again.ts', { symbols: [symbol('round3File599Loader')], imports: [] });
    assert.deepEqual(names(index, 'r3f599'), ['round3File599Loader']);
  });
});

describe('SymbolIndex against a brute-force reference', () => {
  /** mulberry32: the same data on every run. */
  function seeded(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = Math.imul(state ^ (state >>> 15), state | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  /** Scores every name, sorts by score, then shorter name, name, path, line: what the index must return. */
  function reference(files: Map<string, SymbolInfo[]>, query: string, limit: number, kinds?: SymbolKind[]): string[] {
    const prepared = prepareQuery(query);
    const hits: { path: string; symbol: SymbolInfo; score: number }[] = [];
    for (const [path, symbols] of files) {
      for (const s of symbols) {
        if (kinds !== undefined && !kinds.includes(s.kind)) continue;
        const chars = Uint16Array.from(s.name, (c) => foldCode(c.charCodeAt(0)));
        const score = scoreName({ name: s.name, chars, offset: 0, starts: wordStartBits(s.name) }, prepared);
        if (score > 0) hits.push({ path, symbol: s, score });
      }
    }
    hits.sort(
      (a, b) =>
        b.score - a.score ||
        a.symbol.name.length - b.symbol.name.length ||
        (a.symbol.name < b.symbol.name ? -1 : a.symbol.name > b.symbol.name ? 1 : 0) ||
        (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
        a.symbol.startLine - b.symbol.startLine,
    );
    return hits.slice(0, limit).map((h) => `${h.path}:${h.symbol.startLine} ${h.symbol.name}`);
  }

  test('for 300 random queries over 2,000 random symbols, with removals and kinds filters, the index returns exactly the reference results', () => {
    const random = seeded(7);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const parts = ['get', 'set', 'user', 'User', 'id', 'ID', 'load', 'Http', 'server', 'parse', 'json', 'x', 'a', 'b', '_', '2'];
    const kinds: SymbolKind[] = ['function', 'method', 'class', 'constant'];
    const files = new Map<string, SymbolInfo[]>();
    const index = new SymbolIndex();
    for (let f = 0; f < 200; f++) {
      const symbols = Array.from({ length: 10 }, (_, i) =>
        symbol(Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(parts)).join(''), pick(kinds), i * 5 + 1),
      );
      files.set(`src/f${f}.ts`, symbols);
      index.set(`src/f${f}.ts`, { symbols, imports: [] });
    }
    for (let f = 0; f < 200; f += 3) {
      files.delete(`src/f${f}.ts`);
      index.remove(`src/f${f}.ts`);
    }
    for (let q = 0; q < 300; q++) {
      const query = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(parts).slice(0, 1 + Math.floor(random() * 3))).join('');
      const limit = 1 + Math.floor(random() * 25);
      const filter = random() < 0.3 ? [pick(kinds)] : undefined;
      const actual = index
        .search(query, { limit, ...(filter === undefined ? {} : { kinds: filter }) })
        .map((m) => `${m.path}:${m.symbol.startLine} ${m.symbol.name}`);
      assert.deepEqual(
        actual,
        reference(files, query, limit, filter),
        `query ${JSON.stringify(query)} limit ${limit} kinds ${String(filter)}`,
      );
    }
  });
});
