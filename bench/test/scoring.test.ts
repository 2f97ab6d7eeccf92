import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { PlantedClone } from '../injection/ground-truth.js';
import { expandPairs, pairAt, pairsInGroup, totalPairs, type CloneGroup } from '../scoring/clone-report.js';
import { isFound, FragmentIndex, regionCoverage, scoreRecall } from '../scoring/recall.js';
import { readAuxilReportFile, readJscpdReportFile } from '../scoring/report-files.js';
import { parseAuxilReport, parseJscpdReport, ReportFormatError } from '../scoring/report-parsers.js';
import { wilsonInterval } from '../scoring/wilson-interval.js';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/auxil-report.json', import.meta.url), 'utf8')) as unknown;

function plant(id: string, type: 1 | 2 | 3, original: [string, number, number], copy: [string, number, number]): PlantedClone {
  return {
    id,
    type,
    original: { file: original[0], startLine: original[1], endLine: original[2] },
    copy: { file: copy[0], startLine: copy[1], endLine: copy[2] },
    tokens: 80,
    similarity: 1,
    edits: [],
  };
}

describe('the overlap rule', () => {
  test('coverage is the share of the planted region that a fragment covers, zero in another file', () => {
    const region = { file: 'a.js', startLine: 11, endLine: 20 };
    assert.equal(regionCoverage({ file: 'a.js', startLine: 1, endLine: 15 }, region), 0.5);
    assert.equal(regionCoverage({ file: 'a.js', startLine: 16, endLine: 40 }, region), 0.5);
    assert.equal(regionCoverage({ file: 'a.js', startLine: 21, endLine: 40 }, region), 0);
    assert.equal(regionCoverage({ file: 'b.js', startLine: 11, endLine: 20 }, region), 0);
    assert.equal(regionCoverage({ file: 'a.js', startLine: 1, endLine: 100 }, region), 1);
  });

  test('a pair covering half of the copy and half of the original finds the planted clone', () => {
    const report = {
      filesAnalysed: 2,
      groups: [
        {
          fragments: [
            { file: 'o.js', startLine: 10, endLine: 14 },
            { file: 'c.js', startLine: 5, endLine: 9 },
          ],
        },
      ],
    };
    assert.equal(isFound(new FragmentIndex(report), plant('t1-1', 1, ['o.js', 10, 19], ['c.js', 1, 10])), true);
  });

  test('a pair covering less than half of the copy does not', () => {
    const report = {
      filesAnalysed: 2,
      groups: [
        {
          fragments: [
            { file: 'o.js', startLine: 10, endLine: 19 },
            { file: 'c.js', startLine: 1, endLine: 4 },
          ],
        },
      ],
    };
    assert.equal(isFound(new FragmentIndex(report), plant('t1-1', 1, ['o.js', 10, 19], ['c.js', 1, 10])), false);
  });

  test('the two fragments must come from the same reported pair, not from two different pairs', () => {
    const report = {
      filesAnalysed: 3,
      groups: [
        {
          fragments: [
            { file: 'o.js', startLine: 10, endLine: 19 },
            { file: 'x.js', startLine: 1, endLine: 10 },
          ],
        },
        {
          fragments: [
            { file: 'x.js', startLine: 1, endLine: 10 },
            { file: 'c.js', startLine: 1, endLine: 10 },
          ],
        },
      ],
    };
    assert.equal(isFound(new FragmentIndex(report), plant('t2-1', 2, ['o.js', 10, 19], ['c.js', 1, 10])), false);
  });

  test('recall is counted per clone type', () => {
    const report = {
      filesAnalysed: 2,
      groups: [
        {
          fragments: [
            { file: 'o.js', startLine: 1, endLine: 10 },
            { file: 'c.js', startLine: 1, endLine: 10 },
          ],
        },
      ],
    };
    const recall = scoreRecall(report, [
      plant('t1-1', 1, ['o.js', 1, 10], ['c.js', 1, 10]),
      plant('t3-1', 3, ['o.js', 30, 40], ['c.js', 30, 40]),
    ]);
    assert.equal(recall.byType.t1.value, 1);
    assert.equal(recall.byType.t3.value, 0);
    assert.deepEqual(recall.missed.t3, ['t3-1']);
    assert.equal(recall.byType.t2.trials, 0);
  });
});

describe('clone classes as pairs', () => {
  const group: CloneGroup = { fragments: ['a', 'b', 'c', 'd'].map((file) => ({ file, startLine: 1, endLine: 5 })) };

  test('a class of k fragments is every one of its k(k−1)/2 pairs, each once', () => {
    const pairs = expandPairs(group).map(([x, y]) => `${x.file}${y.file}`);
    assert.deepEqual(pairs, ['ab', 'ac', 'ad', 'bc', 'bd', 'cd']);
    assert.equal(pairsInGroup(group), 6);
    assert.throws(() => pairAt(group, 6), RangeError);
  });

  test('the Auxil fixture report becomes two classes with 3 + 1 pairs', () => {
    const report = parseAuxilReport(fixture, '/tmp/corpus');
    assert.equal(report.filesAnalysed, 4);
    assert.equal(report.groups.length, 2);
    assert.equal(totalPairs(report), 4);
    assert.equal(report.groups[1]!.kind, '3');
  });

  test('any two fragments of an Auxil class find a planted clone, the first one included or not', () => {
    const report = parseAuxilReport(fixture, '/tmp/corpus');
    const index = new FragmentIndex(report);
    assert.equal(isFound(index, plant('t1-1', 1, ['pkg-b/util/copy.js', 101, 112], ['pkg-c/more.js', 1, 12])), true);
    assert.equal(isFound(index, plant('t3-1', 3, ['pkg-a/lib/sum.js', 40, 47], ['pkg-b/util/copy.js', 199, 208])), true);
  });

  test('a report of the wrong shape is rejected with the place that is wrong', () => {
    assert.throws(
      () => parseAuxilReport({ version: 1, clones: [{ fragments: [{ file: 'a', startLine: 0, endLine: 3 }] }] }, '/'),
      ReportFormatError,
    );
    assert.throws(() => parseAuxilReport({ version: 2, clones: [] }, '/'), /version 2/);
  });

  test('jscpd duplicates become groups of two with paths relative to the corpus root', () => {
    const report = parseJscpdReport(
      {
        duplicates: [
          { kind: 'exact', firstFile: { name: '/c/x/a.js', start: 2, end: 16 }, secondFile: { name: 'y/b.js', start: 3, end: 17 } },
        ],
        statistics: { total: { sources: 18 } },
      },
      '/c',
    );
    assert.equal(report.filesAnalysed, 18);
    assert.deepEqual(report.groups[0]!.fragments, [
      { file: 'x/a.js', startLine: 2, endLine: 16 },
      { file: 'y/b.js', startLine: 3, endLine: 17 },
    ]);
  });
});

describe('the Wilson interval', () => {
  test('300 of 300 still leaves room below 100%', () => {
    const p = wilsonInterval(300, 300);
    assert.equal(p.value, 1);
    assert.equal(p.high, 1);
    assert.ok(Math.abs(p.low - 0.98736) < 1e-4, String(p.low));
  });

  test('270 of 300 gives 90% within [86.1%, 92.9%]', () => {
    const p = wilsonInterval(270, 300);
    assert.ok(Math.abs(p.low - 0.8608) < 1e-3, String(p.low));
    assert.ok(Math.abs(p.high - 0.929) < 1e-3, String(p.high));
  });

  test('no trials is no estimate', () => {
    const p = wilsonInterval(0, 0);
    assert.ok(Number.isNaN(p.value));
    assert.deepEqual([p.low, p.high], [0, 1]);
  });
});

describe('reading report files of any size', () => {
  test('the streamed Auxil fixture equals the parsed one', () => {
    const file = new URL('./fixtures/auxil-report.json', import.meta.url).pathname;
    assert.deepEqual(readAuxilReportFile(file, '/tmp/corpus'), parseAuxilReport(fixture, '/tmp/corpus'));
  });

  test('a streamed jscpd report keeps names and lines and skips the fragment text, escapes and all', () => {
    const dir = mkdtempSync(join(tmpdir(), 'auxil-bench-json-'));
    try {
      const report = {
        duplicates: [
          {
            firstFile: { end: 16, endLoc: { line: 16 }, name: 'a "quoted" dir/a.js', start: 2 },
            format: 'javascript',
            fragment: 'x = "}]{[\\\\";\n'.repeat(1000),
            kind: 'exact',
            secondFile: { end: 17, name: 'ü/b.js', start: 3 },
            tokens: 113,
          },
        ],
        statistics: { formats: { javascript: { sources: 1 } }, total: { sources: 18 } },
      };
      writeFileSync(join(dir, 'r.json'), JSON.stringify(report, null, 2));
      assert.deepEqual(readJscpdReportFile(join(dir, 'r.json'), '/c'), parseJscpdReport(report, '/c'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
