import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { z } from 'zod';

// `auxil analyze` is tested as users run it: the built CLI in its own process, on real files
// (run `npx tsc -b backend` first).
export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** Per suite, and generous: a run takes about a second; the limit only keeps a hang from blocking CI. */
export const TEST_TIMEOUT_MS = 600_000;

/** The fixture project with known clones; see the README beside it for what it holds and why. */
const FIXTURE_PROJECT = fileURLToPath(new URL('../fixtures/analysis/clones-project/', import.meta.url));

/** The JSON report exactly as the issue specifies it (lines 1-based inclusive, paths relative to <dir>). */
const Fragment = z
  .object({
    file: z
      .string()
      .min(1)
      .refine((file) => !file.startsWith('/') && !file.includes('\\') && !file.split('/').includes('..'), 'a path relative to <dir>'),
    startLine: z.number().int().min(1),
    endLine: z.number().int().min(1),
  })
  .strict()
  .refine((fragment) => fragment.endLine >= fragment.startLine, 'endLine >= startLine');

export const JsonReport = z
  .object({
    version: z.literal(1),
    root: z.string().min(1),
    files: z.number().int().nonnegative(),
    tokens: z.number().int().nonnegative(),
    durationMs: z.number().nonnegative(),
    timings: z.strictObject({
      discover: z.number().nonnegative(),
      scan: z.number().nonnegative(),
      match: z.number().nonnegative(),
      classes: z.number().nonnegative(),
    }),
    clones: z.array(
      z
        .object({
          id: z.string().min(1),
          type: z.union([z.literal(1), z.literal(2), z.literal(3)]),
          similarity: z.number().min(0).max(1),
          tokens: z.number().int().positive(),
          lines: z.number().int().positive(),
          fragments: z.array(Fragment).min(2),
        })
        .strict(),
    ),
    skipped: z.array(z.object({ file: z.string().min(1), reason: z.string().min(1) }).strict()),
  })
  .strict();
export type JsonReport = z.infer<typeof JsonReport>;

/** A clone class as the assertions compare it: its type and its copies as `file:start-end`, in report order. */
export interface ClassSummary {
  type: number;
  fragments: string[];
}

export function summarize(report: JsonReport): ClassSummary[] {
  return report.clones.map((clone) => ({
    type: clone.type,
    fragments: clone.fragments.map((fragment) => `${fragment.file}:${fragment.startLine}-${fragment.endLine}`),
  }));
}

/** The same summaries in a fixed order, for comparisons that do not care about the report's order. */
export function sortedSummaries(classes: ClassSummary[]): ClassSummary[] {
  return [...classes].sort((a, b) => (a.fragments[0] ?? '').localeCompare(b.fragments[0] ?? ''));
}

// The clones the fixture project was written with; the README explains each one.
export const JAVA_NEAR_MISS: ClassSummary = { type: 3, fragments: ['java/LegacyOrderService.java:10-29', 'java/OrderService.java:9-30'] };
export const GO_THREE_COPIES: ClassSummary = {
  type: 1,
  fragments: ['go/cli/wrap.go:10-27', 'go/report/wrap.go:15-32', 'go/textutil/wrap.go:11-28'],
};
export const TS_LAYOUT_COPY: ClassSummary = {
  type: 1,
  fragments: ['src/billing/invoice-total.ts:10-20', 'src/reports/invoice-summary.ts:15-31'],
};
export const PYTHON_RENAMED_COPY: ClassSummary = { type: 2, fragments: ['py/inventory.py:4-13', 'py/warehouse.py:8-17'] };
export const NODE_MODULES_COPY: ClassSummary = { type: 1, fragments: ['node_modules/slug-kit/index.js:3-12', 'web/slugify.js:1-10'] };
export const MINIFIED_NAME_COPY: ClassSummary = { type: 1, fragments: ['web/debounce.js:1-17', 'web/widgets.min.js:2-18'] };
export const GITIGNORED_COPY: ClassSummary = { type: 1, fragments: ['generated/retry-client.ts:4-13', 'src/net/retry.ts:7-16'] };

/** What a default run of the fixture project reports. */
export const DEFAULT_CLASSES = [JAVA_NEAR_MISS, GO_THREE_COPIES, TS_LAYOUT_COPY, PYTHON_RENAMED_COPY];

/** A fresh temporary folder, deleted when the test ends. */
export async function tempDir(t: TestContext, prefix: string): Promise<string> {
  const path = await mkdtemp(join(tmpdir(), `auxil-analyze-${prefix}-`));
  t.after(() => rm(path, { recursive: true, force: true, maxRetries: 3 }));
  return path;
}

/**
 * The fixture's stored name → its real name. Fixture files end in `.txt` so that the repository's
 * compiler, linter and formatter leave them alone; `_node_modules` and `_gitignore` are stored
 * under other names because the repository's own .gitignore would drop them or be affected by them.
 */
function realName(stored: string): string {
  if (stored === '_node_modules') return 'node_modules';
  if (stored === '_gitignore.txt') return '.gitignore';
  return stored.endsWith('.txt') ? stored.slice(0, -'.txt'.length) : stored;
}

async function copyTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    if (entry.name === 'README.md') continue;
    const target = join(to, realName(entry.name));
    if (entry.isDirectory()) await copyTree(join(from, entry.name), target);
    else await writeFile(target, await readFile(join(from, entry.name)));
  }
}

/** Lays the fixture project out under `target` (default: a new temporary folder) and returns its path. */
export async function fixtureProject(t: TestContext, target?: string): Promise<string> {
  const root = target ?? (await tempDir(t, 'project'));
  await copyTree(FIXTURE_PROJECT, root);
  return root;
}

export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd?: string;
  /** Run as another user (only root can); used to make permissions bite when the tests run as root. */
  readonly uid?: number;
  readonly gid?: number;
}

/** Runs `auxil <args>` to its end; a process still running when the test ends is killed. */
export async function runCli(t: TestContext, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AUXIL_')));
  const child = spawn(process.execPath, [CLI, ...args], {
    env,
    cwd: options.cwd,
    uid: options.uid,
    gid: options.gid,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited.catch(() => undefined);
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const { code, signal } = await exited;
  return { code, signal, stdout, stderr };
}

/** Runs `auxil analyze <dir> --format json ...`, expects exit 0, and returns the validated report. */
export async function analyzeJson(t: TestContext, dir: string, flags: string[] = [], options: RunOptions = {}): Promise<JsonReport> {
  const result = await runCli(t, ['analyze', dir, '--format', 'json', ...flags], options);
  assert.equal(result.code, 0, `exit code; stderr: ${result.stderr}`);
  return JsonReport.parse(JSON.parse(result.stdout));
}

/** Writes `files` (path relative to `root` → content) under `root`, creating folders as needed. */
export async function writeFiles(root: string, files: Record<string, string | Uint8Array>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
}

const execFileAsync = promisify(execFile);

/** Runs git in `cwd` with a fixed identity and branch name, ignoring the machine's own git configuration. */
export async function git(cwd: string, args: string[]): Promise<string> {
  const env = {
    ...process.env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Auxil Tests',
    GIT_AUTHOR_EMAIL: 'tests@auxil.invalid',
    GIT_COMMITTER_NAME: 'Auxil Tests',
    GIT_COMMITTER_EMAIL: 'tests@auxil.invalid',
  };
  const { stdout } = await execFileAsync('git', ['-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], { cwd, env });
  return stdout;
}
