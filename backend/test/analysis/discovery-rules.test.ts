import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { analyzeJson, fixtureProject, git, tempDir, TEST_TIMEOUT_MS, writeFiles } from './analyze-support.js';

const files = (report: { clones: { fragments: { file: string }[] }[] }): string[] =>
  [...new Set(report.clones.flatMap((cloneClass) => cloneClass.fragments.map((fragment) => fragment.file)))].sort();

describe('which files auxil analyze reads', { timeout: TEST_TIMEOUT_MS }, () => {
  test('--ignore takes .gitignore-style patterns: "*.go" leaves out Go files at any depth', async (t) => {
    const root = await fixtureProject(t);
    const all = await analyzeJson(t, root);
    assert.ok(files(all).some((file) => file.endsWith('.go')));
    const withoutGo = await analyzeJson(t, root, ['--ignore', '*.go']);
    assert.deepEqual(
      files(withoutGo).filter((file) => file.endsWith('.go')),
      [],
    );
  });

  test('analysing a subfolder of a repository honours the .gitignore files of the folders above it', async (t) => {
    const repo = await tempDir(t, 'ancestors');
    await git(repo, ['init', '-q']);
    const project = join(repo, 'apps', 'shop');
    await fixtureProject(t, project);
    await writeFiles(repo, { '.gitignore': 'apps/shop/py/\n' });
    const report = await analyzeJson(t, project);
    assert.deepEqual(
      files(report).filter((file) => file.startsWith('py/')),
      [],
    );
    const ignoringNothing = await analyzeJson(t, project, ['--no-gitignore']);
    assert.ok(files(ignoringNothing).some((file) => file.startsWith('py/')));
  });

  test('a folder named explicitly is analysed even when a parent .gitignore ignores it', async (t) => {
    const repo = await tempDir(t, 'ignored-root');
    await git(repo, ['init', '-q']);
    const project = join(repo, 'generated', 'shop');
    await fixtureProject(t, project);
    await writeFiles(repo, { '.gitignore': 'generated/\n' });
    const report = await analyzeJson(t, project);
    assert.ok(report.files > 0 && report.clones.length > 0);
  });

  test('--max-file-bytes lowers or raises the size above which files are skipped as too-large', async (t) => {
    const root = await fixtureProject(t);
    const small = await analyzeJson(t, root, ['--max-file-bytes', '1024']);
    assert.ok(small.skipped.some((entry) => entry.reason === 'too-large'));
    const large = await analyzeJson(t, root, ['--max-file-bytes', String(8 * 1024 * 1024)]);
    assert.ok(!large.skipped.some((entry) => entry.reason === 'too-large'));
  });
});
