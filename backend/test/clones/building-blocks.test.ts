import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { winnow } from '../../src/engine/clones/fingerprints.js';
import { PostingTable } from '../../src/engine/clones/posting-table.js';
import { LcsMatcher } from '../../src/engine/clones/similarity.js';

function random(seed: number): (n: number) => number {
  let state = seed;
  return (n) => (state = (state * 48271) % 2147483647) % n;
}

function lcsByTable(a: number[], b: number[]): number {
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = table[i] as number[];
      const above = table[i - 1] as number[];
      row[j] = a[i - 1] === b[j - 1] ? (above[j - 1] as number) + 1 : Math.max(above[j] as number, row[j - 1] as number);
    }
  }
  return (table[a.length] as number[])[b.length] as number;
}

describe('engine building blocks', () => {
  test('the bit-parallel LCS equals the textbook dynamic programme on 400 random pairs, across word boundaries', () => {
    const next = random(11);
    const matcher = new LcsMatcher();
    for (let round = 0; round < 400; round++) {
      const alphabet = 1 + next(6);
      const a = Array.from({ length: 1 + next(140) }, () => next(alphabet));
      const b = Array.from({ length: 1 + next(140) }, () => next(alphabet));
      assert.equal(matcher.reset(a, 0, a.length - 1).lcs(b, 0, b.length - 1), lcsByTable(a, b), `round ${round}`);
    }
  });

  test('with a minimum, similarity is exact when it reaches the minimum and 0 when it cannot', () => {
    const next = random(23);
    const matcher = new LcsMatcher();
    for (let round = 0; round < 300; round++) {
      const a = Array.from({ length: 20 + next(200) }, () => next(4));
      const b = a.map((code) => (next(5) === 0 ? next(4) : code)).filter(() => next(10) !== 0);
      const exact = (2 * lcsByTable(a, b)) / (a.length + b.length);
      const minimum = [0.5, 0.7, 0.8, 0.9][next(4)] as number;
      const got = matcher.reset(a, 0, a.length - 1).similarity(b, 0, b.length - 1, minimum);
      assert.equal(got, exact >= minimum ? exact : 0, `round ${round}`);
    }
  });

  test('winnowing keeps a shared fingerprint for every common run of at least w + k − 1 tokens', () => {
    const next = random(5);
    const k = 12;
    const w = 14;
    for (let round = 0; round < 200; round++) {
      const shared = Array.from({ length: w + k - 1 + next(30) }, () => 16 + next(40));
      const a = [
        ...Array.from({ length: next(50) }, () => 16 + next(40)),
        ...shared,
        ...Array.from({ length: next(50) }, () => 16 + next(40)),
      ];
      const b = [...Array.from({ length: next(50) }, () => 16 + next(40)), ...shared];
      const fa = new Set(winnow(a, k, w).hashes);
      assert.ok(
        winnow(b, k, w).hashes.some((hash) => fa.has(hash)),
        `round ${round}`,
      );
    }
  });

  test('the posting table returns live postings in insertion (owner) order and forgets a removed owner', () => {
    const table = new PostingTable(4, 4);
    for (let owner = 1; owner <= 3; owner++) for (let value = 0; value < 100; value++) table.add(value % 7, owner, value);
    const seen: [number, number][] = [];
    table.forEach(3, (owner, value) => seen.push([owner, value]));
    assert.equal(seen.length, 3 * 14);
    assert.deepEqual(seen[0], [1, 3]);
    assert.deepEqual(seen.at(-1), [3, 94]);
    table.removeOwner(2, 100);
    const after: number[] = [];
    table.forEach(3, (owner) => after.push(owner));
    assert.ok(!after.includes(2) && after.length === 28);
    table.compact();
    assert.equal(table.count(3), 28);
    assert.equal(table.postings, 200);
    assert.equal(table.count(12345), 0);
  });
});
