import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { languageForPath } from '../engine/lexing/languages.js';
import type { SkipReason } from './file-check.js';

/** Folders of vendored, generated or tool-owned files, skipped unless default ignores are off. */
export const DEFAULT_IGNORED_FOLDERS = ['node_modules', 'bower_components', 'jspm_packages', 'vendor', '.git', '.hg', '.svn', '.auxil'];
/** Files skipped by default: lockfiles and minified bundles by name. */
export const DEFAULT_IGNORED_FILES = [
  '*.min.js',
  '*.min.mjs',
  '*.min.cjs',
  '*.bundle.js',
  'package-lock.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'Cargo.lock',
  'Gemfile.lock',
  'composer.lock',
  'poetry.lock',
  'go.sum',
];

export interface DiscoveryOptions {
  /** Extra patterns to leave out, in .gitignore syntax relative to the root (`*.gen.ts` matches at any depth). */
  readonly ignore?: readonly string[];
  /** Apply DEFAULT_IGNORED_FOLDERS and DEFAULT_IGNORED_FILES (default true). */
  readonly defaultIgnores?: boolean;
  /** Honour .gitignore files: nested ones, and those of parent folders up to the repository root (default true). */
  readonly gitignore?: boolean;
}

export interface Discovery {
  /** Analysable files, relative to the root with '/' separators, sorted. */
  readonly files: string[];
  readonly skipped: { file: string; reason: SkipReason }[];
}

const toPosix = (path: string): string => (sep === '/' ? path : path.split(sep).join('/'));

/** Ignore rules of one .gitignore file and the folder its patterns are relative to. */
interface Rule {
  readonly base: string;
  readonly matcher: Ignore;
}

/**
 * The .gitignore files of the folders above `root`, up to the repository root (the first folder
 * holding `.git`): analysing a subfolder of a repository honours its parents' rules, as git does.
 * Outside a repository there are none. A file whose rules ignore `root` itself is left out: a
 * folder named explicitly is analysed even if git ignores it (as ripgrep searches one).
 */
async function ancestorRules(root: string): Promise<Rule[]> {
  const rules: Rule[] = [];
  for (let folder = root; ;) {
    const isRepositoryRoot = await stat(join(folder, '.git')).then(
      () => true,
      () => false,
    );
    if (folder !== root) {
      const gitignore = await readFile(join(folder, '.gitignore'), 'utf8').catch(() => undefined);
      const matcher = gitignore === undefined ? undefined : ignore().add(gitignore);
      if (matcher && !matcher.ignores(`${toPosix(relative(folder, root))}/`)) rules.unshift({ base: folder, matcher });
    }
    const parent = dirname(folder);
    if (isRepositoryRoot || parent === folder) return isRepositoryRoot ? rules : [];
    folder = parent;
  }
}

/**
 * Lists the files of a folder that Auxil analyses. Symbolic links are never followed (so a link
 * loop cannot trap the walk); links that look like source files are reported as skipped.
 */
export async function discoverFiles(root: string, options: DiscoveryOptions = {}): Promise<Discovery> {
  const useDefaults = options.defaultIgnores ?? true;
  const extra = options.ignore && options.ignore.length > 0 ? ignore().add([...options.ignore]) : undefined;
  const defaultFiles = useDefaults ? ignore().add(DEFAULT_IGNORED_FILES) : undefined;
  const ignoredFolders = new Set(useDefaults ? DEFAULT_IGNORED_FOLDERS : ['.git']);
  const useGitignore = options.gitignore ?? true;
  const files: string[] = [];
  const skipped: Discovery['skipped'] = [];

  // Each folder carries the .gitignore rules that apply to it, with the folder they are relative to.
  const pending: { folder: string; rules: Rule[] }[] = [{ folder: root, rules: useGitignore ? await ancestorRules(root) : [] }];
  while (pending.length > 0) {
    const { folder, rules: inherited } = pending.pop() as (typeof pending)[number];
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch {
      skipped.push({ file: toPosix(relative(root, folder)) || '.', reason: 'unreadable' });
      continue;
    }
    let rules = inherited;
    if (useGitignore) {
      const gitignore = await readFile(join(folder, '.gitignore'), 'utf8').catch(() => undefined);
      if (gitignore !== undefined) rules = [...inherited, { base: folder, matcher: ignore().add(gitignore) }];
    }
    const isIgnored = (absolute: string, directory: boolean): boolean =>
      rules.some(({ base, matcher }) => {
        const path = toPosix(relative(base, absolute));
        return path !== '' && matcher.ignores(directory ? `${path}/` : path);
      });
    for (const entry of entries) {
      const absolute = join(folder, entry.name);
      const path = toPosix(relative(root, absolute));
      if (entry.isDirectory()) {
        if (ignoredFolders.has(entry.name) || isIgnored(absolute, true) || extra?.ignores(`${path}/`)) continue;
        pending.push({ folder: absolute, rules });
        continue;
      }
      if (languageForPath(entry.name) === undefined) continue;
      if (defaultFiles?.ignores(path) || extra?.ignores(path) || isIgnored(absolute, false)) continue;
      if (entry.isSymbolicLink()) skipped.push({ file: path, reason: 'symlink' });
      else if (entry.isFile()) files.push(path);
    }
  }
  files.sort();
  skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { files, skipped };
}
