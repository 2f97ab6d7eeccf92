import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { batchesOfPart, decodePart, encodePart, IndexDigest, MAX_PARTS } from '../../src/analyses/match-parts.js';

const packed = (pairs: number, seed: number) => ({
  ints: Int32Array.from({ length: pairs * 7 }, (_, i) => seed * 1000 + i),
  similarities: Float64Array.from({ length: pairs }, (_, i) => (seed + i) / 100),
});

describe('matching parts', () => {
  test('every batch belongs to exactly one part, and each part mixes early and late batches', () => {
    for (const batches of [1, 5, 16, 17, 475]) {
      const parts = MAX_PARTS;
      const seen = Array.from({ length: parts }, (_, part) => batchesOfPart(part, parts, batches))
        .flat()
        .sort((a, b) => a - b);
      assert.deepEqual(
        seen,
        Array.from({ length: batches }, (_, b) => b),
      );
    }
    assert.deepEqual(batchesOfPart(3, 16, 40), [3, 19, 35]);
    assert.deepEqual(batchesOfPart(15, 16, 10), [], 'a part past the last batch is empty');
  });

  test("a part's pairs survive encoding exactly, batch by batch, empty batches included", () => {
    const batches = [
      { batch: 2, pairs: packed(3, 1) },
      { batch: 18, pairs: packed(0, 2) },
      { batch: 34, pairs: packed(5, 3) },
    ];
    const bytes = encodePart(batches);
    const decoded = decodePart(bytes);
    assert.deepEqual(
      decoded.map(({ batch, pairs }) => ({ batch, ints: [...pairs.ints], similarities: [...pairs.similarities] })),
      batches.map(({ batch, pairs }) => ({ batch, ints: [...pairs.ints], similarities: [...pairs.similarities] })),
    );
    // Bytes that start off an 8-byte boundary (a view into a larger buffer) are read as well.
    const shifted = new Uint8Array(bytes.byteLength + 3);
    shifted.set(bytes, 3);
    assert.deepEqual(
      decodePart(shifted.subarray(3)).map(({ batch, pairs }) => [batch, pairs.similarities.length]),
      [
        [2, 3],
        [18, 0],
        [34, 5],
      ],
    );
    assert.deepEqual(decodePart(encodePart([])), []);
  });

  test('damaged or foreign bytes are refused, never misread', () => {
    const bytes = encodePart([{ batch: 0, pairs: packed(2, 1) }]);
    assert.throws(() => decodePart(bytes.subarray(0, bytes.byteLength - 8)), /damaged or of an unknown format/);
    assert.throws(() => decodePart(new Uint8Array(4)), /damaged/);
    const foreign = bytes.slice();
    new Int32Array(foreign.buffer)[0] = 99;
    assert.throws(() => decodePart(foreign), /unknown format/);
  });

  test('the digest names the files in order and the options', () => {
    const digest = (files: [string, string][], options: unknown = { minTokens: 50 }): string => {
      const d = new IndexDigest(options);
      for (const [path, hash] of files) d.add(path, hash);
      return d.digest();
    };
    const a: [string, string] = ['a.ts', 'h1'];
    const b: [string, string] = ['b.ts', 'h2'];
    assert.equal(digest([a, b]), digest([a, b]));
    assert.notEqual(digest([a, b]), digest([b, a]), 'another order gives other ids');
    assert.notEqual(digest([a, b]), digest([a, ['b.ts', 'h3']]), 'another content');
    assert.notEqual(digest([a, b]), digest([a, b], { minTokens: 49 }), 'other options');
  });
});
