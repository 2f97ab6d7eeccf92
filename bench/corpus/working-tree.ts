import { copyFileSync, linkSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CorpusFile } from './corpus-cache.js';

/**
 * Lays the corpus out as one flat tree, `<tree>/<package folder>/<path in package>`, with hard
 * links into the cache (fast, no extra space). Files that the injector changes are replaced, not
 * written through, so the cache is never modified: see {@link replaceFile}.
 */
export function linkWorkingTree(tree: string, files: readonly CorpusFile[]): void {
  const made = new Set<string>();
  for (const file of files) {
    const target = join(tree, file.path);
    const dir = dirname(target);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    try {
      linkSync(file.source, target);
    } catch {
      copyFileSync(file.source, target);
    }
  }
}

/**
 * Writes new content for a tree file by writing a sibling and renaming it over the file: the
 * directory entry moves to a new inode, and the hard-linked cache file keeps its bytes.
 */
export function replaceFile(path: string, content: string): void {
  const temporary = `${path}.auxil-bench-tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
}
