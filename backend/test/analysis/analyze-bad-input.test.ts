import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, readdir, readFile, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { promisify } from 'node:util';
import {
  analyzeJson,
  DEFAULT_CLASSES,
  fixtureProject,
  runCli,
  sortedSummaries,
  summarize,
  tempDir,
  TEST_TIMEOUT_MS,
  writeFiles,
} from './analyze-support.js';

// Every case must end with a report: the timeout only stops a hang from blocking the suite.
// Nothing here asserts on elapsed time.

/** `unit` repeated `depth` times, `perLine` to a line: deep nesting without one very long (minified-looking) line. */
const nestedLines = (unit: string, depth: number, perLine = 100): string => `${unit.repeat(perLine)}\n`.repeat(depth / perLine);

/** The fixture project's source files with CRLF line endings and a byte order mark. */
async function toCrlfWithBom(root: string, only?: readonly string[]): Promise<void> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile() || !/\.(ts|js|py|java|go)$/.test(entry.name)) continue;
    const file = join(entry.parentPath, entry.name);
    const relativePath = file.slice(root.length + 1);
    if (only && !only.includes(relativePath)) continue;
    const text = await readFile(file, 'utf8');
    await writeFile(file, `\uFEFF${text.replace(/\n/g, '\r\n')}`);
  }
}

/**
 * Analyses `dir`, which holds `ok.ts` and the unreadable `locked.ts` and `locked-dir/`, and expects
 * both skipped as unreadable.
 */
async function expectUnreadableSkipped(t: TestContext, dir: string): Promise<void> {
  let runAs = {};
  if (process.getuid?.() === 0) {
    // Root reads anything, so the CLI runs as the unprivileged `nobody` (65534) instead, which
    // needs to reach the folder and the built CLI; where it cannot, this case cannot be tested.
    runAs = { uid: 65534, gid: 65534 };
    await chmod(dir, 0o755);
    const probe = await runCli(t, ['--version'], runAs).catch((error: unknown) => ({ code: -1, stderr: String(error) }));
    if (probe.code !== 0) {
      t.skip(`running as root, and user 65534 cannot run the CLI to test permissions: ${probe.stderr}`);
      return;
    }
  }
  const report = await analyzeJson(t, dir, [], runAs);
  assert.equal(report.files, 1);
  assert.deepEqual(report.skipped, [
    { file: 'locked-dir', reason: 'unreadable' },
    { file: 'locked.ts', reason: 'unreadable' },
  ]);
}

describe('auxil analyze on bad input finishes with a report', { timeout: TEST_TIMEOUT_MS }, () => {
  test('a file with NUL bytes is skipped as "binary"', async (t) => {
    const dir = await tempDir(t, 'binary');
    await writeFiles(dir, {
      'blob.js': Buffer.from([0x76, 0x61, 0x72, 0x20, 0x00, 0x01, 0xff, 0x00, 0x3b]),
      'ok.ts': 'export const a = 1;\n',
    });
    const report = await analyzeJson(t, dir);
    assert.deepEqual(report.skipped, [{ file: 'blob.js', reason: 'binary' }]);
    assert.equal(report.files, 1);
  });

  test('a file that is not valid UTF-8 is skipped as "invalid-utf8"', async (t) => {
    const dir = await tempDir(t, 'utf8');
    await writeFiles(dir, {
      'latin1.ts': Buffer.concat([Buffer.from('const name = "'), Buffer.from([0x4a, 0xfc, 0x72, 0x67, 0x65, 0x6e]), Buffer.from('";\n')]),
    });
    const report = await analyzeJson(t, dir);
    assert.deepEqual(report.skipped, [{ file: 'latin1.ts', reason: 'invalid-utf8' }]);
    assert.equal(report.files, 0);
  });

  test('a 20 MB one-line minified file is skipped as "too-large" (the CLI has no flag to raise the 1 MiB limit)', async (t) => {
    const dir = await tempDir(t, 'huge');
    const statement = 'var a=b(c,d)+e[f];';
    await writeFiles(dir, { 'bundle.js': statement.repeat(Math.ceil((20 * 1024 * 1024) / statement.length)) });
    const report = await analyzeJson(t, dir);
    assert.deepEqual(report.skipped, [{ file: 'bundle.js', reason: 'too-large' }]);
  });

  test('a 3 GiB file (sparse) is skipped as "too-large" without being read', async (t) => {
    const dir = await tempDir(t, 'sparse');
    await writeFiles(dir, { 'giant.ts': '' });
    await truncate(join(dir, 'giant.ts'), 3 * 1024 ** 3);
    const report = await analyzeJson(t, dir);
    assert.deepEqual(report.skipped, [{ file: 'giant.ts', reason: 'too-large' }]);
  });

  test('a one-line minified file under the size limit is skipped as "minified"', async (t) => {
    const dir = await tempDir(t, 'minified');
    const statement = 'var a=b(c,d)+e[f];';
    await writeFiles(dir, { 'app.js': statement.repeat(Math.floor((900 * 1024) / statement.length)) });
    const report = await analyzeJson(t, dir);
    assert.deepEqual(report.skipped, [{ file: 'app.js', reason: 'minified' }]);
  });

  test('a 100,000-line file is analysed and its tokens counted', async (t) => {
    const dir = await tempDir(t, 'long');
    // Five tokens a line, short lines to stay under the 1 MiB size limit.
    await writeFiles(dir, { 'long.ts': 'let a=1;\n'.repeat(100_000) });
    const report = await analyzeJson(t, dir);
    assert.deepEqual(report.skipped, []);
    assert.equal(report.files, 1);
    assert.equal(report.tokens, 500_000);
  });

  test('files with unterminated strings in several languages are analysed', async (t) => {
    const dir = await tempDir(t, 'strings');
    const files = {
      'double.ts': 'const a = 1;\nconst s = "never closed\nconst b = 2;\n',
      'template.ts': 'const a = `never ${closed\nconst b = 2;\n',
      'triple.py': 'a = 1\ns = """never closed\nb = 2\n',
      'raw.go': 'package main\n\nvar s = `never closed\n',
      'text-block.java': 'class A {\n  String s = """\n    never closed\n',
      'heredoc.rb': 'a = <<~EOS\n  never closed\n',
      'nowdoc.php': "<?php\n$a = <<<'EOT'\nnever closed\n",
      'char.c': "int main() { char c = 'x\n",
    };
    await writeFiles(dir, files);
    const report = await analyzeJson(t, dir);
    assert.deepEqual(report.skipped, []);
    assert.equal(report.files, Object.keys(files).length);
    assert.ok(report.tokens > 0);
  });

  test('files with unterminated block comments in several languages are analysed', async (t) => {
    const dir = await tempDir(t, 'comments');
    const files = {
      'block.ts': 'const a = 1;\n/* never closed\nconst b = 2;\n',
      'Block.java': 'class A {\n  /** never closed\n  int b;\n',
      'block.go': 'package main\n/* never closed\n',
      'block.c': 'int a;\n/* never closed\n',
      'block.php': '<?php\n$a = 1;\n/* never closed\n',
      'block.rb': 'a = 1\n=begin\nnever closed\n',
      'nested.rs': 'fn main() {}\n/* outer /* inner */ still open\n',
    };
    await writeFiles(dir, files);
    const report = await analyzeJson(t, dir);
    assert.deepEqual(report.skipped, []);
    assert.equal(report.files, Object.keys(files).length);
  });

  test('100,000-deep nesting of ( and { in every lexer family is analysed', async (t) => {
    const dir = await tempDir(t, 'nesting');
    const deep = nestedLines('(', 100_000) + nestedLines('{', 100_000);
    const extensions = ['ts', 'js', 'py', 'java', 'go', 'c', 'cs', 'rs', 'kt', 'php', 'rb'];
    await writeFiles(
      dir,
      Object.fromEntries(extensions.map((extension) => [`deep.${extension}`, extension === 'php' ? `<?php\n${deep}` : deep])),
    );
    const report = await analyzeJson(t, dir);
    assert.deepEqual(report.skipped, []);
    assert.equal(report.files, extensions.length);
    assert.ok(report.tokens >= extensions.length * 200_000, `tokens: ${report.tokens}`);
  });

  test('100,000-deep nesting of template literals and of JSX elements is analysed', async (t) => {
    const dir = await tempDir(t, 'nesting-js');
    await writeFiles(dir, { 'templates.ts': nestedLines('`${', 100_000, 50), 'elements.jsx': nestedLines('<div>', 100_000) });
    const report = await analyzeJson(t, dir);
    assert.deepEqual(report.skipped, []);
    assert.equal(report.files, 2);
  });

  test('CRLF line endings and a BOM give the same clones and line numbers as LF without BOM', async (t) => {
    const dir = await fixtureProject(t);
    await toCrlfWithBom(dir);
    const report = await analyzeJson(t, dir);
    assert.deepEqual(sortedSummaries(summarize(report)), sortedSummaries(DEFAULT_CLASSES));
  });

  test('a copy with CRLF and a BOM is still the same clone, with the same line numbers, as its LF original', async (t) => {
    const dir = await fixtureProject(t);
    await toCrlfWithBom(dir, ['src/billing/invoice-total.ts', 'py/inventory.py', 'java/LegacyOrderService.java', 'go/cli/wrap.go']);
    const report = await analyzeJson(t, dir);
    assert.deepEqual(sortedSummaries(summarize(report)), sortedSummaries(DEFAULT_CLASSES));
  });

  test('empty files and files with only whitespace or comments are analysed without error (counted, no tokens)', async (t) => {
    const dir = await tempDir(t, 'empty');
    await writeFiles(dir, { 'empty.ts': '', 'blank.py': '\n\n   \n', 'comment.go': '// nothing here\n', 'bom-only.java': '\uFEFF' });
    const report = await analyzeJson(t, dir);
    assert.deepEqual(report.skipped, []);
    assert.equal(report.files, 4);
    assert.equal(report.tokens, 0);
    assert.deepEqual(report.clones, []);
  });

  test('symbolic links are never followed: a folder link to its parent is passed over, file links are skipped as "symlink"', async (t) => {
    const dir = await tempDir(t, 'links');
    await writeFiles(dir, { 'sub/real.ts': 'export const a = 1;\n' });
    await symlink('..', join(dir, 'sub/loop'));
    await symlink('..', join(dir, 'sub/loop.ts'));
    await symlink('real.ts', join(dir, 'sub/link.ts'));
    await symlink('self.ts', join(dir, 'sub/self.ts'));
    await symlink('missing.ts', join(dir, 'sub/dangling.ts'));
    const report = await analyzeJson(t, dir);
    assert.equal(report.files, 1, 'only the real file is read');
    assert.deepEqual(report.skipped, [
      { file: 'sub/dangling.ts', reason: 'symlink' },
      { file: 'sub/link.ts', reason: 'symlink' },
      { file: 'sub/loop.ts', reason: 'symlink' },
      { file: 'sub/self.ts', reason: 'symlink' },
    ]);
  });

  test('a FIFO named like a source file is passed over, not opened (reading it would block forever)', async (t) => {
    const dir = await tempDir(t, 'fifo');
    await writeFiles(dir, { 'real.ts': 'export const a = 1;\n' });
    try {
      await promisify(execFile)('mkfifo', [join(dir, 'pipe.ts')]);
    } catch (error) {
      t.skip(`mkfifo is not available here: ${String(error)}`);
      return;
    }
    const report = await analyzeJson(t, dir);
    assert.equal(report.files, 1);
    assert.deepEqual(report.skipped, []);
  });

  test('an unreadable file and an unreadable folder are skipped as "unreadable"', async (t) => {
    const dir = await tempDir(t, 'unreadable');
    await writeFiles(dir, {
      'ok.ts': 'export const a = 1;\n',
      'locked.ts': 'export const b = 2;\n',
      'locked-dir/inner.ts': 'export const c = 3;\n',
    });
    await chmod(join(dir, 'locked.ts'), 0o000);
    await chmod(join(dir, 'locked-dir'), 0o000);
    try {
      await expectUnreadableSkipped(t, dir);
    } finally {
      // Without this, a user other than root could not delete the folder afterwards.
      await chmod(join(dir, 'locked-dir'), 0o755);
    }
  });
});
