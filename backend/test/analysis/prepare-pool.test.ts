import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { PreparePool } from '../../src/analysis/engine-threads.js';
import { prepareFile } from '../../src/engine/index.js';

const pools: PreparePool[] = [];
after(async () => {
  await Promise.all(pools.map((pool) => pool.close()));
});

/** `count` small functions, each a little different, so the file has tokens and fingerprints to spare. */
function source(count: number): string {
  return Array.from(
    { length: count },
    (_, i) => `export function f${i}(a, b) {\n  const sum = a + b * ${i};\n  return sum > ${i} ? sum : -sum;\n}\n`,
  ).join('');
}

test('the records the threads prepare equal the ones prepared inline, in input order', async () => {
  const pool = new PreparePool(2);
  pools.push(pool);
  const files = [
    { path: 'a.ts', text: source(40) },
    { path: 'notes.txt', text: 'not a language Auxil reads' },
    { path: 'b.js', text: source(3) },
  ];
  const records = await pool.prepare(files, 20);
  assert.equal(records.length, 3);
  assert.equal(records[1], undefined);
  for (const i of [0, 2]) {
    const inline = prepareFile(files[i]!.path, files[i]!.text, { minTokens: 20 });
    assert.equal(records[i]?.path, files[i]!.path);
    assert.deepEqual([...records[i].fingerprintHashes], [...inline!.fingerprintHashes]);
    assert.deepEqual([...records[i].codes], [...inline!.codes]);
  }
});

test("a batch too big for a thread's capped heap is prepared on the main thread instead of failing", async () => {
  // A 16 MB heap starts a thread (loading the worker's modules takes about 13 MB) but cannot lex
  // a 2 MB file: the thread ends out of memory.
  const pool = new PreparePool(1, 16);
  pools.push(pool);
  const big = { path: 'big.ts', text: source(20_000) };
  const [record] = await pool.prepare([big], 20);
  const inline = prepareFile(big.path, big.text, { minTokens: 20 });
  assert.equal(pool.fallbacks, 1, 'the thread ran out of memory and the main thread took over');
  assert.ok(record, 'the big file has a record');
  assert.equal(record.fingerprintHashes.length, inline!.fingerprintHashes.length);
});

test('releaseIdle ends idle threads at once and leaves working ones alone', async () => {
  const pool = new PreparePool(2);
  pools.push(pool);
  const files = Array.from({ length: 8 }, (_, i) => ({ path: `f${i}.ts`, text: source(400) }));
  const working = pool.prepare(files, 20);
  // Asked while the batch runs: nothing is ended, and the batch completes.
  await pool.releaseIdle();
  assert.ok(pool.threadCount > 0, 'the threads preparing the batch are still there');
  const records = await working;
  assert.equal(records.filter((record) => record !== undefined).length, 8);

  await pool.releaseIdle();
  assert.equal(pool.threadCount, 0, 'no thread is left once they are idle');
  const [again] = await pool.prepare([{ path: 'g.ts', text: source(40) }], 20);
  assert.ok(again, 'a later batch starts threads again');
});
