import type { Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
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
  /** Extra glob patterns (relative to the root) to leave out. */
  readonly ignore?: readonly string[];
  /** Apply DEFAULT_IGNORED_FOLDERS and DEFAULT_IGNORED_FILES (default true). */
  readonly defaultIgnores?: boolean;
  /** Honour .gitignore files, nested ones included (default true). */
  readonly gitignore?: boolean;
}

export interface Discovery {
  /** Analysable files, relative to the root with '/' separators, sorted. */
  readonly files: string[];
  readonly skipped: { file: string; reason: SkipReason }[];
}

const toPosix = (path: string): string => (sep === '/' ? path : path.split(sep).join('/'));

/**
 * Lists the files of a folder that Auxil analyses. Symbolic links are never followed (so a link
 * loop cannot trap the walk); links that look like source files are reported as skipped.
 */
export async function discoverFiles(root: string, options: DiscoveryOptions = {}): Promise<Discovery> {
  const useDefaults = options.defaultIgnores ?? true;
  const extra = options.ignore && options.ignore.length > 0 ? picomatch([...options.ignore], { dot: true }) : undefined;
  const defaultFiles = useDefaults ? picomatch(DEFAULT_IGNORED_FILES, { basename: true, dot: true }) : undefined;
  const ignoredFolders = new Set(useDefaults ? DEFAULT_IGNORED_FOLDERS : ['.git']);
  const files: string[] = [];
  const skipped: Discovery['skipped'] = [];

  // Each folder carries the .gitignore rules that apply to it, with the folder they are relative to.
  const pending: { folder: string; rules: { base: string; matcher: Ignore }[] }[] = [{ folder: root, rules: [] }];
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
    if (options.gitignore ?? true) {
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
        if (ignoredFolders.has(entry.name) || isIgnored(absolute, true) || extra?.(path) || extra?.(`${path}/`)) continue;
        pending.push({ folder: absolute, rules });
        continue;
      }
      if (languageForPath(entry.name) === undefined) continue;
      if (defaultFiles?.(entry.name) || extra?.(path) || isIgnored(absolute, false)) continue;
      if (entry.isSymbolicLink()) skipped.push({ file: path, reason: 'symlink' });
      else if (entry.isFile()) files.push(path);
    }
  }
  files.sort();
  skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { files, skipped };
}
