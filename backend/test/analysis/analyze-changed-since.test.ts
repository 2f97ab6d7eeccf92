import assert from 'node:assert/strict';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import {
  analyzeJson,
  fixtureProject,
  git,
  GO_THREE_COPIES,
  sortedSummaries,
  summarize,
  tempDir,
  TEST_TIMEOUT_MS,
  type ClassSummary,
} from './analyze-support.js';

/** Replaces `before` with `after` in a file, failing if `before` is not there. */
async function edit(file: string, before: string, after: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  assert.ok(text.includes(before), `${file} contains ${before}`);
  await writeFile(file, text.replace(before, after));
}

/**
 * A git repository (its path has a space) whose subfolder `project dir` holds the fixture
 * project, with `py/warehouse.py` renamed to `py/ware house.py`. Two commits: the fixture, then a
 * comment added inside the Go function of `go/cli/wrap.go`. The working tree then changes a
 * literal in the Python copy, deletes a comment line inside the TypeScript copy, edits code that
 * has no copy, and adds an untracked file with a copy of `src/net/retry.ts`'s function.
 * The Java near miss is never touched.
 */
async function changedRepository(t: TestContext): Promise<string> {
  const repo = join(await tempDir(t, 'git'), 'my repo');
  const dir = join(repo, 'project dir');
  await fixtureProject(t, dir);
  await rename(join(dir, 'py/warehouse.py'), join(dir, 'py/ware house.py'));
  await git(repo, ['init', '--quiet']);
  await git(repo, ['add', '--all']);
  await git(repo, ['commit', '--quiet', '--message', 'fixture']);

  await edit(
    join(dir, 'go/cli/wrap.go'),
    '\tvar lines []string\n',
    '\tvar lines []string\n\t// Words longer than width get a line of their own.\n',
  );
  await git(repo, ['commit', '--quiet', '--all', '--message', 'comment']);

  await edit(join(dir, 'py/ware house.py'), 'refills[item] = floor * 3 - left', 'refills[item] = floor * 4 - left');
  await edit(join(dir, 'src/reports/invoice-summary.ts'), '    // Amount before tax.\n', '');
  await edit(join(dir, 'py/unique.py'), 'radius = 6371.0', 'radius = 6371.0088');
  const generated = await readFile(join(dir, 'generated/retry-client.ts'), 'utf8');
  await writeFile(join(dir, 'src/net/retry copy.ts'), generated);
  return dir;
}

const PYTHON_CHANGED: ClassSummary = { type: 2, fragments: ['py/inventory.py:4-13', 'py/ware house.py:8-17'] };
const TS_CHANGED: ClassSummary = { type: 1, fragments: ['src/billing/invoice-total.ts:10-20', 'src/reports/invoice-summary.ts:15-30'] };
const UNTRACKED_COPY: ClassSummary = { type: 1, fragments: ['src/net/retry copy.ts:4-13', 'src/net/retry.ts:7-16'] };
const GO_COMMENTED: ClassSummary = {
  type: 1,
  fragments: GO_THREE_COPIES.fragments.map((fragment) => (fragment.startsWith('go/cli/') ? 'go/cli/wrap.go:10-28' : fragment)),
};

describe('auxil analyze --changed-since', { timeout: TEST_TIMEOUT_MS }, () => {
  test('reports only the classes touching changed lines (edits, a deleted line, an untracked file), with their copies from unchanged files', async (t) => {
    const dir = await changedRepository(t);
    const report = await analyzeJson(t, dir, ['--changed-since', 'HEAD']);
    assert.deepEqual(sortedSummaries(summarize(report)), sortedSummaries([PYTHON_CHANGED, TS_CHANGED, UNTRACKED_COPY]));
  });

  test('an older ref also brings the classes changed by the commits since it', async (t) => {
    const dir = await changedRepository(t);
    const report = await analyzeJson(t, dir, ['--changed-since', 'HEAD~1']);
    assert.deepEqual(sortedSummaries(summarize(report)), sortedSummaries([PYTHON_CHANGED, TS_CHANGED, UNTRACKED_COPY, GO_COMMENTED]));
  });

  test('a class that touches no changed code is absent, though a full analysis reports it', async (t) => {
    const dir = await changedRepository(t);
    const near = (report: Awaited<ReturnType<typeof analyzeJson>>): boolean => report.clones.some((clone) => clone.type === 3);
    assert.ok(near(await analyzeJson(t, dir)), 'the Java near miss is in the full report');
    assert.ok(!near(await analyzeJson(t, dir, ['--changed-since', 'HEAD~1'])), 'and not in the changed-code report');
  });

  test('with no change since the ref, no class is reported', async (t) => {
    const repo = await tempDir(t, 'git-clean');
    await fixtureProject(t, repo);
    await git(repo, ['init', '--quiet']);
    await git(repo, ['add', '--all']);
    await git(repo, ['commit', '--quiet', '--message', 'fixture']);
    const report = await analyzeJson(t, repo, ['--changed-since', 'HEAD']);
    assert.deepEqual(report.clones, []);
    assert.ok(report.files > 0, 'the analysis itself still ran');
  });
});
