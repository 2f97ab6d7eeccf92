import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { summarizeIndex } from '../../src/analysis/classes-task.js';
import { matchInParallel, PreparePool } from '../../src/analysis/engine-threads.js';
import { CloneIndex, encodeRecord, prepareFile, type FileRecord } from '../../src/engine/index.js';

const fixture = fileURLToPath(new URL('../fixtures/analysis/clones-project', import.meta.url));

/** The fixture project's records (its files are stored as `<name>.txt`), in path order. */
function fixtureRecords(): { files: number; records: FileRecord[] } {
  const paths = readdirSync(fixture, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.txt'))
    .sort();
  const records = paths.flatMap((path) => {
    const projectPath = relative(fixture, join(fixture, path.slice(0, -'.txt'.length)));
    return prepareFile(projectPath, readFileSync(join(fixture, path), 'utf8'), { minTokens: 30 }) ?? [];
  });
  return { files: paths.length, records };
}

const pools: PreparePool[] = [];
after(async () => {
  await Promise.all(pools.map((pool) => pool.close()));
});

test("a small project's classes built on a pool thread from stored records equal those matched on every thread", async () => {
  const { files, records } = fixtureRecords();
  const pool = new PreparePool(2);
  pools.push(pool);
  const onThread = await pool.classes({ encoded: records.map(encodeRecord), records: [], files, clones: { minTokens: 30 } });
  // A live index's records, sent as they are instead of as stored bytes, give the same classes.
  const fromRecords = await pool.classes({ encoded: [], records, files, clones: { minTokens: 30 } });

  const index = new CloneIndex({ minTokens: 30 });
  let lines = 0;
  for (const record of records) {
    index.add(record);
    lines += record.lineCount;
  }
  const inParallel = await summarizeIndex(index, files, lines, () => matchInParallel(index, 2));

  assert.ok(onThread.cloneClasses >= 4, `the fixture's clone classes are found (${onThread.cloneClasses})`);
  assert.ok(onThread.duplicatedLines > 0);
  const { timings: _threadTimings, ...threadSummary } = onThread;
  const { timings: _parallelTimings, ...parallelSummary } = inParallel;
  assert.deepEqual(threadSummary, parallelSummary);
  const { timings: _recordTimings, ...recordSummary } = fromRecords;
  assert.deepEqual(recordSummary, parallelSummary);
  assert.equal(pool.fallbacks, 0, 'the thread did the work');
});
