// Runs every workspace's tests in one `node --test` invocation, so there is one summary:
//   node scripts/run-tests.js           all tests, end-to-end included
//   node scripts/run-tests.js --unit    everything but the end-to-end tests
//   node scripts/run-tests.js --e2e     only the end-to-end tests (real VS Code in Chromium)
// Test files are `*.test.ts` under <workspace>/test, run through tsx.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// The workspaces, plus bench/ (its scoring and injection tests; the benchmark itself is `npm run bench`).
const workspaces = ['protocol', 'backend', 'language-server', 'extension', 'webviews', 'templates', 'test', 'bench'];
const skipped = new Set(['node_modules', 'fixtures', 'dist', '.tsbuild', '.corpus', '.tools', 'results']);

function findTests(dir) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return skipped.has(name) ? [] : findTests(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

const mode = process.argv[2];
const isE2e = (file) => file.includes(`${join('test', 'e2e')}`);
const files = workspaces
  .flatMap((workspace) => findTests(join(root, workspace, 'test')).concat(workspace === 'test' ? findTests(join(root, 'test')) : []))
  .map((file) => relative(root, file))
  .filter((file, index, all) => all.indexOf(file) === index)
  .filter((file) => (mode === '--unit' ? !isE2e(file) : mode === '--e2e' ? isE2e(file) : true))
  .sort((a, b) => Number(isE2e(a)) - Number(isE2e(b)) || a.localeCompare(b));

if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
