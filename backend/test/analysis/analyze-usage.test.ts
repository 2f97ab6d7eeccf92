import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { fixtureProject, git, runCli, tempDir, TEST_TIMEOUT_MS, writeFiles } from './analyze-support.js';

/** Runs `auxil analyze <args>` and checks the bad-usage contract: exit 2, no report, a message without a stack trace. */
async function expectUsageError(t: TestContext, args: string[], message: RegExp): Promise<void> {
  const result = await runCli(t, ['analyze', ...args]);
  assert.equal(result.code, 2, `exit code; stderr: ${result.stderr}`);
  assert.equal(result.stdout, '', 'no report on bad usage');
  assert.match(result.stderr, message);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'a message, not a stack trace');
}

describe('auxil analyze bad usage exits 2 naming the problem', { timeout: TEST_TIMEOUT_MS }, () => {
  test('an unknown flag', async (t) => {
    const dir = await fixtureProject(t);
    await expectUsageError(t, [dir, '--bogus'], /unknown option '--bogus'/);
  });

  test('--types 4', async (t) => {
    const dir = await fixtureProject(t);
    await expectUsageError(t, [dir, '--types', '4'], /--types.*'4' is invalid.*1, 2 and 3/);
  });

  test('--format xml', async (t) => {
    const dir = await fixtureProject(t);
    await expectUsageError(t, [dir, '--format', 'xml'], /--format.*'xml' is invalid.*text, json, sarif/);
  });

  test('--min-tokens abc', async (t) => {
    const dir = await fixtureProject(t);
    await expectUsageError(t, [dir, '--min-tokens', 'abc'], /--min-tokens.*'abc' is invalid.*integer/);
  });

  test('--threshold above 100', async (t) => {
    const dir = await fixtureProject(t);
    await expectUsageError(t, [dir, '--threshold', '101'], /--threshold.*'101' is invalid/);
  });

  test('no <dir>', async (t) => {
    await expectUsageError(t, [], /missing required argument 'dir'/);
  });

  test('a <dir> that does not exist', async (t) => {
    const missing = join(await tempDir(t, 'missing'), 'nowhere');
    await expectUsageError(t, [missing], /nowhere does not exist/);
  });

  test('a <dir> that is a file', async (t) => {
    const dir = await tempDir(t, 'file');
    await writeFiles(dir, { 'main.ts': 'export const a = 1;\n' });
    await expectUsageError(t, [join(dir, 'main.ts')], /main\.ts is not a directory/);
  });

  test('--changed-since with a ref the repository does not have', async (t) => {
    const dir = await fixtureProject(t);
    await git(dir, ['init', '--quiet']);
    await git(dir, ['add', '--all']);
    await git(dir, ['commit', '--quiet', '--message', 'fixture']);
    await expectUsageError(t, [dir, '--changed-since', 'no-such-branch'], /--changed-since: unknown git reference "no-such-branch"/);
  });

  test('--changed-since outside a git repository', async (t) => {
    const dir = await fixtureProject(t);
    await expectUsageError(t, [dir, '--changed-since', 'HEAD'], /--changed-since: .* is not in a git work tree/);
  });

  test('--changed-since with something that looks like a flag instead of a ref', async (t) => {
    const dir = await fixtureProject(t);
    await expectUsageError(t, [dir, '--changed-since=--output=x'], /"--output=x" is not a git reference/);
  });

  test('--output into a folder that does not exist', async (t) => {
    const dir = await fixtureProject(t);
    const missing = join(await tempDir(t, 'missing-output'), 'no-folder', 'report.json');
    await expectUsageError(t, [dir, '--output', missing], /cannot write --output .*report\.json/);
  });
});
