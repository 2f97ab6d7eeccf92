import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { CloneClass } from '../engine/clones/clone-classes.js';

const run = promisify(execFile);

/** Changed line ranges (1-based, inclusive) per file path relative to the analysed root. */
export type ChangedLines = Map<string, [number, number][]>;

/** Thrown when git cannot answer (not a repository, unknown ref). */
export class GitError extends Error {}

// The user's configuration must not change the diff's shape: no custom or mnemonic prefixes.
const FIXED_CONFIG = ['-c', 'core.quotePath=false', '-c', 'diff.noprefix=false', '-c', 'diff.mnemonicPrefix=false'];

async function git(root: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run('git', ['-C', root, ...FIXED_CONFIG, ...args], { maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new GitError('git is not installed (or not on the PATH)');
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new GitError(stderr || (error instanceof Error ? error.message : String(error)));
  }
}

const ESCAPES: Readonly<Record<string, number>> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/**
 * The path in a `+++ ` header. Git appends a tab to names that contain a space, and C-quotes
 * names with quotes, backslashes or control characters (octal escapes for their UTF-8 bytes).
 */
export function diffHeaderPath(header: string): string {
  const name = header.endsWith('\t') ? header.slice(0, -1) : header;
  if (!name.startsWith('"') || !name.endsWith('"')) return name;
  const bytes: number[] = [];
  for (let i = 1; i < name.length - 1; i++) {
    const char = name[i] as string;
    if (char !== '\\') {
      bytes.push(...Buffer.from(char));
      continue;
    }
    const next = name[++i] ?? '';
    const octal = /^[0-7]{3}/.exec(name.slice(i, i + 3));
    if (octal) {
      bytes.push(parseInt(octal[0], 8));
      i += 2;
    } else bytes.push(ESCAPES[next] ?? next.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Lines that differ between `ref` and the working tree, from `git diff --unified=0`, plus every
 * line of untracked files. A pure deletion marks the lines on both sides of the gap.
 */
export async function changedSince(root: string, ref: string): Promise<ChangedLines> {
  if (ref.startsWith('-')) throw new GitError(`"${ref}" is not a git reference`);
  const inside = await git(root, ['rev-parse', '--is-inside-work-tree']).catch((error: unknown) => {
    throw error instanceof GitError ? new GitError(`${root} is not in a git work tree: ${error.message}`) : error;
  });
  if (inside.trim() !== 'true') throw new GitError(`${root} is not in a git work tree`);
  await git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).catch(() => {
    throw new GitError(`unknown git reference "${ref}" in ${root}`);
  });
  const diff = await git(root, ['diff', '--unified=0', '--no-color', '--no-ext-diff', '--relative', ref, '--', '.']);
  const changed: ChangedLines = new Map();
  let current: [number, number][] | undefined;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ')) {
      const path = diffHeaderPath(line.slice(4));
      current = path === '/dev/null' ? undefined : (changed.get(path.slice(2)) ?? []);
      if (current) changed.set(path.slice(2), current);
      continue;
    }
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (hunk && current) {
      const start = Number(hunk[1]);
      const count = hunk[2] === undefined ? 1 : Number(hunk[2]);
      current.push(count === 0 ? [Math.max(1, start), start + 1] : [start, start + count - 1]);
    }
  }
  const untracked = await git(root, ['ls-files', '-z', '--others', '--exclude-standard']);
  for (const path of untracked.split('\0').filter(Boolean)) changed.set(path, [[1, Number.MAX_SAFE_INTEGER]]);
  return changed;
}

/** The classes with at least one copy overlapping a changed line; their other copies come along. */
export function classesTouching(classes: readonly CloneClass[], changed: ChangedLines): CloneClass[] {
  return classes.filter((cloneClass) =>
    cloneClass.fragments.some((fragment) =>
      (changed.get(fragment.path) ?? []).some(([start, end]) => start <= fragment.endLine && end >= fragment.startLine),
    ),
  );
}

/** The root of the git work tree holding `dir`, or undefined when it is not in one (or git is missing). */
export async function gitTopLevel(dir: string): Promise<string | undefined> {
  return git(dir, ['rev-parse', '--show-toplevel']).then(
    (out) => out.trim() || undefined,
    () => undefined,
  );
}
