import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Extensions of the source files the corpus keeps (JavaScript and TypeScript, every module flavour). */
export const SOURCE_EXTENSIONS: readonly string[] = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/** Files above this size are left out (jscpd's own default limit is 1 MiB; this stays under it). */
export const MAX_FILE_BYTES = 1_000_000;

/** Files whose average line is longer than this are minified or bundled output, not code a person reads. */
export const MAX_MEAN_LINE_LENGTH = 250;

/** Why a file with a source extension was left out. */
export type ExclusionReason = 'declaration' | 'minified-name' | 'too-large' | 'minified-content';

/** The extension of a path as the corpus counts it (`.d.ts` is a declaration, not `.ts`). */
export function sourceExtension(path: string): string | undefined {
  const dot = path.lastIndexOf('.');
  if (dot < 0) return undefined;
  const ext = path.slice(dot).toLowerCase();
  return SOURCE_EXTENSIONS.includes(ext) ? ext : undefined;
}

/**
 * Decides whether a file enters the corpus. Declaration files (`.d.ts`, `.d.mts`, `.d.cts`) are
 * left out: they hold signatures, no function bodies, and mostly repeat what the implementation
 * files next to them already say, so they would add files without adding code to find copies in.
 */
export function exclusionReason(name: string, bytes: number, readText: () => string): ExclusionReason | undefined {
  if (/\.d\.[cm]?tsx?$/i.test(name)) return 'declaration';
  if (/[.-]min\.[cm]?jsx?$/i.test(name)) return 'minified-name';
  if (bytes > MAX_FILE_BYTES) return 'too-large';
  const text = readText();
  const lines = text.split('\n').length;
  if (text.length / lines > MAX_MEAN_LINE_LENGTH) return 'minified-content';
  return undefined;
}

/** A source file of a package, by its path inside the package. */
export interface PackageSourceFile {
  readonly path: string;
  readonly bytes: number;
}

/**
 * Every kept source file of an installed package, sorted by path. Nested `node_modules`, hidden
 * files and folders, and symbolic links are skipped: the corpus is the package's own files only,
 * and jscpd does not read hidden paths either.
 */
export function listPackageSources(packageDir: string, excluded: Map<ExclusionReason, number>): PackageSourceFile[] {
  const found: PackageSourceFile[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      const full = join(dir, name);
      const rel = prefix === '' ? name : `${prefix}/${name}`;
      const stat = lstatSync(full);
      if (stat.isDirectory()) {
        walk(full, rel);
      } else if (stat.isFile() && sourceExtension(name) !== undefined) {
        const reason = exclusionReason(name, stat.size, () => readFileSync(full, 'utf8'));
        if (reason === undefined) found.push({ path: rel, bytes: stat.size });
        else excluded.set(reason, (excluded.get(reason) ?? 0) + 1);
      }
    }
  };
  walk(packageDir, '');
  return found;
}
