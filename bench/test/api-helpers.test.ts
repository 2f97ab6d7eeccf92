import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  encodeFilePath,
  ndjsonBatches,
  ndjsonLine,
  sampleIndexes,
  serverTimingMs,
  summarize,
  type UploadFile,
} from '../api/api-helpers.js';
import type { ApiSuiteResult } from '../api/api-results.js';
import { SeededRandom } from '../injection/seeded-random.js';
import { apiLines } from '../report/api-report.js';
import { treeCpuMs, TreeMemorySampler } from '../runners/process-tree-monitor.js';

const file = (path: string, content = 'x'): UploadFile => ({ path, content });

function parse(body: Buffer): unknown[] {
  const text = body.toString('utf8');
  assert.ok(text.endsWith('\n'), 'a batch ends with a newline');
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as unknown);
}

describe('NDJSON batches', () => {
  test('one JSON object per line, content escaped, every line ending with a newline', () => {
    const files = [file('a.ts', 'const a = "q";\nlet b = `\\n`;\n'), file('dir/ü b.js', '\u2028\r\n')];
    const [batch, ...rest] = [...ndjsonBatches(files, { maxFiles: 10, maxBytes: 1 << 20 })];
    assert.equal(rest.length, 0);
    assert.deepEqual(parse(batch!.body), files);
    assert.deepEqual(batch!.paths, ['a.ts', 'dir/ü b.js']);
    assert.equal(batch!.files, 2);
  });

  test('splits at the file limit', () => {
    const files = Array.from({ length: 5 }, (_, i) => file(`f${i}.js`));
    const batches = [...ndjsonBatches(files, { maxFiles: 2, maxBytes: 1 << 20 })];
    assert.deepEqual(
      batches.map((b) => b.paths),
      [['f0.js', 'f1.js'], ['f2.js', 'f3.js'], ['f4.js']],
    );
  });

  test('splits at the byte limit, counting UTF-8 bytes of the escaped lines, never exceeding it', () => {
    const files = [file('a', 'é'.repeat(10)), file('b', 'é'.repeat(10)), file('c', 'x')];
    const lineBytes = Buffer.byteLength(ndjsonLine(files[0]!));
    assert.equal(lineBytes, Buffer.byteLength('{"path":"a","content":""}\n') + 20);
    const batches = [...ndjsonBatches(files, { maxFiles: 100, maxBytes: lineBytes * 2 - 1 })];
    assert.deepEqual(
      batches.map((b) => b.paths),
      [['a'], ['b', 'c']],
    );
    for (const batch of batches) assert.ok(batch.body.length <= lineBytes * 2 - 1);
    assert.deepEqual(
      batches.flatMap((b) => parse(b.body)),
      files,
    );
  });

  test('a line exactly at the limit fits; one over it is an error naming the file', () => {
    const exact = Buffer.byteLength(ndjsonLine(file('a', 'abc')));
    assert.equal([...ndjsonBatches([file('a', 'abc')], { maxFiles: 1, maxBytes: exact })].length, 1);
    assert.throws(() => [...ndjsonBatches([file('big.js', 'abcd')], { maxFiles: 1, maxBytes: exact })], /big\.js/);
  });

  test('reads its input lazily: a batch at a time', () => {
    let read = 0;
    function* files(): Generator<UploadFile> {
      for (let i = 0; i < 10; i++) {
        read++;
        yield file(`f${i}`);
      }
    }
    const batches = ndjsonBatches(files(), { maxFiles: 3, maxBytes: 1 << 20 });
    batches.next();
    assert.equal(read, 4, 'the first batch is yielded when the fourth file does not fit');
  });

  test('no files, no batches; limits must be positive', () => {
    assert.deepEqual([...ndjsonBatches([], { maxFiles: 2, maxBytes: 10 })], []);
    assert.throws(() => [...ndjsonBatches([file('a')], { maxFiles: 0, maxBytes: 10 })], RangeError);
  });
});

describe('Server-Timing', () => {
  test('reads the app metric duration', () => {
    assert.equal(serverTimingMs('app;dur=12.5'), 12.5);
    assert.equal(serverTimingMs('db;dur=3, app;desc="handler";dur=7'), 7);
    assert.equal(serverTimingMs(['cache;dur=1', 'app;dur="4.25"']), 4.25);
    assert.equal(serverTimingMs(' app ; dur=0 '), 0);
  });

  test('absent or malformed is undefined', () => {
    assert.equal(serverTimingMs(undefined), undefined);
    assert.equal(serverTimingMs('db;dur=3'), undefined);
    assert.equal(serverTimingMs('app'), undefined);
    assert.equal(serverTimingMs('app;dur=abc'), undefined);
    assert.equal(serverTimingMs('application;dur=5'), undefined);
  });
});

describe('latency summaries', () => {
  test('nearest-rank percentiles, max and mean', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    assert.deepEqual(summarize(values), { n: 100, p50Ms: 50, p95Ms: 95, maxMs: 100, meanMs: 50.5 });
    assert.deepEqual(summarize([7]), { n: 1, p50Ms: 7, p95Ms: 7, maxMs: 7, meanMs: 7 });
  });

  test('no values: NaN figures, n = 0', () => {
    const empty = summarize([]);
    assert.equal(empty.n, 0);
    assert.ok(Number.isNaN(empty.p95Ms) && Number.isNaN(empty.maxMs) && Number.isNaN(empty.meanMs));
  });
});

describe('paths and sampling', () => {
  test('file paths are encoded segment by segment', () => {
    assert.equal(encodeFilePath('scope__pkg/src/a b#?.ts'), 'scope__pkg/src/a%20b%23%3F.ts');
    assert.equal(encodeFilePath('ü/100%.js'), '%C3%BC/100%25.js');
  });

  test('sampled indexes are distinct, in range, and the same for the same seed', () => {
    const draw = (seed: number): number[] => {
      const random = new SeededRandom(seed);
      return sampleIndexes(1000, 200, () => random.next());
    };
    const a = draw(1);
    assert.equal(new Set(a).size, 200);
    assert.ok(a.every((i) => Number.isInteger(i) && i >= 0 && i < 1000));
    assert.deepEqual(draw(1), a);
    assert.notDeepEqual(draw(2), a);
    const random = new SeededRandom(3);
    assert.deepEqual([...sampleIndexes(5, 5, () => random.next())].sort(), [0, 1, 2, 3, 4]);
    assert.throws(() => sampleIndexes(3, 4, Math.random), RangeError);
  });
});

describe('process measurements', () => {
  test('this process has CPU time and resident memory', () => {
    assert.ok(treeCpuMs(process.pid) > 0);
    const sampler = new TreeMemorySampler(() => [process.pid]);
    sampler.sample();
    const peaks = sampler.peaks();
    assert.ok(peaks.peakTreeRssBytes > 1024 * 1024);
    assert.equal(peaks.samples, 1);
    sampler.reset();
    assert.equal(sampler.peaks().samples, 0);
  });
});

describe('the printed lines', () => {
  test('a suite that could not run prints why, for each measurement', () => {
    const none = { status: 'unavailable', message: 'the CLI is not built' } as const;
    const result = {
      corpus: { tree: '/t', files: 0 },
      commands: {},
      loadBefore: [1, 1, 1],
      loadAfter: [1, 1, 1],
      wallMs: 0,
      sync: none,
      update: none,
      clients: none,
      workers: none,
      processes: [],
      targets: {} as ApiSuiteResult['targets'],
    } satisfies ApiSuiteResult;
    const lines = apiLines(result);
    assert.equal(lines.length, 6);
    for (const line of lines.slice(0, 4)) assert.match(line, /UNAVAILABLE: the CLI is not built$/);
  });
});
