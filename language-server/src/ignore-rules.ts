import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** Folders that hold generated, vendored or tool state rather than the team's own code. */
export const SKIPPED_FOLDERS = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  'dist',
  'build',
  'out',
  'coverage',
  '.auxil',
  '.cache',
  'vendor',
  'target',
  '__pycache__',
  '.venv',
]);

/**
 * What the workspace sync leaves out: the skipped folders, every .gitignore of the workspace (each
 * relative to its own folder, as git reads them) and the user's `auxil.exclude` globs (gitignore
 * syntax, relative to the workspace folder). .gitignore files are read once and remembered until
 * `forget` (one changed).
 */
export class IgnoreRules {
  private readonly exclude: Ignore;
  /** Folder (project path, '' for the root) → its .gitignore rules, or null when it has none. */
  private readonly gitignores = new Map<string, Promise<Ignore | null>>();

  constructor(
    private readonly root: string,
    exclude: readonly string[],
  ) {
    this.exclude = ignore().add([...exclude]);
  }

  /** Whether a project path is left out of the sync, through its own name or any folder above it. */
  async ignores(path: string): Promise<boolean> {
    const parts = path.split('/');
    for (let length = 1; length < parts.length; length++) {
      if (await this.ignoresEntry(parts.slice(0, length).join('/'), true)) return true;
    }
    return this.ignoresEntry(path, false);
  }

  /**
   * Whether one entry is left out, its folders above being known not to be: how the walk asks, as it
   * never enters an ignored folder.
   */
  async ignoresEntry(path: string, folder: boolean): Promise<boolean> {
    const parts = path.split('/');
    if (folder && SKIPPED_FOLDERS.has(parts[parts.length - 1] as string)) return true;
    if (this.exclude.ignores(folder ? `${path}/` : path)) return true;
    for (let depth = 0; depth < parts.length; depth++) {
      const rules = await this.gitignoreOf(parts.slice(0, depth).join('/'));
      const relative = parts.slice(depth).join('/');
      if (rules?.ignores(folder ? `${relative}/` : relative)) return true;
    }
    return false;
  }

  /** A .gitignore changed: read it again next time. */
  forget(folder: string): void {
    this.gitignores.delete(folder);
  }

  private gitignoreOf(folder: string): Promise<Ignore | null> {
    let rules = this.gitignores.get(folder);
    if (!rules) {
      rules = readFile(join(this.root, folder, '.gitignore'), 'utf8').then(
        (text) => ignore().add(text),
        () => null,
      );
      this.gitignores.set(folder, rules);
    }
    return rules;
  }
}
