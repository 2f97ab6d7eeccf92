import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import {
  analyzeJson,
  DEFAULT_CLASSES,
  fixtureProject,
  GITIGNORED_COPY,
  GO_THREE_COPIES,
  JAVA_NEAR_MISS,
  JsonReport,
  MINIFIED_NAME_COPY,
  NODE_MODULES_COPY,
  PYTHON_RENAMED_COPY,
  runCli,
  sortedSummaries,
  summarize,
  tempDir,
  TEST_TIMEOUT_MS,
  TS_LAYOUT_COPY,
  writeFiles,
  type ClassSummary,
} from './analyze-support.js';

const classesWith = async (t: TestContext, flags: string[]): Promise<ClassSummary[]> => {
  const dir = await fixtureProject(t);
  return sortedSummaries(summarize(await analyzeJson(t, dir, flags)));
};

describe('auxil analyze flags', { timeout: TEST_TIMEOUT_MS }, () => {
  test('--types 1 reports only the identical copies, --types 2 only the renamed one, --types 3 only the near miss', async (t) => {
    assert.deepEqual(await classesWith(t, ['--types', '1']), sortedSummaries([GO_THREE_COPIES, TS_LAYOUT_COPY]));
    assert.deepEqual(await classesWith(t, ['--types', '2']), [PYTHON_RENAMED_COPY]);
    assert.deepEqual(await classesWith(t, ['--types', '3']), [JAVA_NEAR_MISS]);
    assert.deepEqual(await classesWith(t, ['--types', '3,2']), sortedSummaries([JAVA_NEAR_MISS, PYTHON_RENAMED_COPY]));
  });

  test('raising --min-tokens drops the classes shorter than it (77 and 90 tokens go at 100)', async (t) => {
    assert.deepEqual(await classesWith(t, ['--min-tokens', '100']), sortedSummaries([JAVA_NEAR_MISS, GO_THREE_COPIES]));
  });

  test('raising --min-lines drops classes with a copy shorter than it (10- and 11-line copies go at 15)', async (t) => {
    assert.deepEqual(await classesWith(t, ['--min-lines', '15']), sortedSummaries([JAVA_NEAR_MISS, GO_THREE_COPIES]));
  });

  test('--ignore with one glob leaves out the files it matches, and a class keeps its other copies', async (t) => {
    const goWithoutCli = { type: 1, fragments: GO_THREE_COPIES.fragments.filter((fragment) => !fragment.startsWith('go/cli/')) };
    assert.deepEqual(
      await classesWith(t, ['--ignore', 'go/cli/**']),
      sortedSummaries([JAVA_NEAR_MISS, goWithoutCli, TS_LAYOUT_COPY, PYTHON_RENAMED_COPY]),
    );
  });

  test('--ignore with several globs, as one list or repeated, leaves out the files of each', async (t) => {
    const expected = sortedSummaries([JAVA_NEAR_MISS, TS_LAYOUT_COPY]);
    assert.deepEqual(await classesWith(t, ['--ignore', 'go/**', 'py/*.py']), expected);
    assert.deepEqual(await classesWith(t, ['--ignore', 'go/**', '--ignore', 'py/*.py']), expected);
  });

  test('--no-default-ignores brings back the copies in node_modules and the *.min.js file (a lockfile is not source, so never)', async (t) => {
    const dir = await fixtureProject(t);
    const report = await analyzeJson(t, dir, ['--no-default-ignores']);
    assert.deepEqual(sortedSummaries(summarize(report)), sortedSummaries([...DEFAULT_CLASSES, NODE_MODULES_COPY, MINIFIED_NAME_COPY]));
    assert.ok(!report.clones.some((clone) => clone.fragments.some((fragment) => fragment.file.endsWith('package-lock.json'))));
  });

  test('--no-gitignore brings back the copy in the .gitignored folder, and only it', async (t) => {
    assert.deepEqual(await classesWith(t, ['--no-gitignore']), sortedSummaries([...DEFAULT_CLASSES, GITIGNORED_COPY]));
  });

  test('--output FILE writes the report to the file and prints nothing', async (t) => {
    const dir = await fixtureProject(t);
    const out = join(await tempDir(t, 'output'), 'report.json');
    const result = await runCli(t, ['analyze', dir, '--format', 'json', '--output', out]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, '');
    const report = JsonReport.parse(JSON.parse(await readFile(out, 'utf8')));
    assert.deepEqual(sortedSummaries(summarize(report)), sortedSummaries(DEFAULT_CLASSES));
  });

  test('--format text (the default) is a human-readable summary listing every class with its copies as path:start-end', async (t) => {
    const dir = await fixtureProject(t);
    const explicit = await runCli(t, ['analyze', dir, '--format', 'text']);
    const byDefault = await runCli(t, ['analyze', dir]);
    assert.equal(explicit.code, 0, explicit.stderr);
    assert.equal(byDefault.code, 0, byDefault.stderr);
    const withoutTiming = (text: string): string => text.replace(/\(\d+\.\d s\)/, '');
    assert.equal(withoutTiming(byDefault.stdout), withoutTiming(explicit.stdout));
    const text = explicit.stdout;
    assert.match(text, /^Auxil: 16 files, \d+ tokens, 4 clone classes, \d+\.\d% of lines duplicated/);
    assert.match(
      text,
      /Type 3 clone, \d+ tokens, \d+ lines, \d+% similar, 2 copies:\n {2}java\/LegacyOrderService\.java:10-29\n {2}java\/OrderService\.java:9-30\n/,
    );
    assert.match(
      text,
      /Type 1 clone, \d+ tokens, \d+ lines, 3 copies:\n {2}go\/cli\/wrap\.go:10-27\n {2}go\/report\/wrap\.go:15-32\n {2}go\/textutil\/wrap\.go:11-28\n/,
    );
    assert.match(text, /Type 2 clone, \d+ tokens, \d+ lines, 2 copies:\n {2}py\/inventory\.py:4-13\n {2}py\/warehouse\.py:8-17\n/);
    assert.doesNotMatch(text, /^\{/, 'not JSON');
  });
});

describe('auxil analyze --threshold', { timeout: TEST_TIMEOUT_MS }, () => {
  test('exits 1 with a message on stderr when the duplicated share of lines exceeds the threshold, and still writes the report', async (t) => {
    const dir = await fixtureProject(t);
    const result = await runCli(t, ['analyze', dir, '--format', 'json', '--threshold', '5']);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /\d+\.\d+% of lines are duplicated, above the threshold of 5%/);
    assert.equal(JsonReport.parse(JSON.parse(result.stdout)).clones.length, DEFAULT_CLASSES.length);
  });

  test('exits 0 and says nothing on stderr when the duplicated share is below the threshold', async (t) => {
    const dir = await fixtureProject(t);
    const result = await runCli(t, ['analyze', dir, '--threshold', '95']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
  });

  test('--threshold 0 passes on a project without clones (0% is not above 0%)', async (t) => {
    const dir = await tempDir(t, 'no-clones');
    await writeFiles(dir, { 'a.ts': 'export const a = 1;\n', 'b.py': 'b = 2\n' });
    const result = await runCli(t, ['analyze', dir, '--threshold', '0']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
  });
});
