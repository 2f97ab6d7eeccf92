import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageFolder, packageListHash, packagesFor, type CorpusSize, type PinnedPackage } from './corpus-packages.js';
import { npmInstall } from './npm-install.js';
import { listPackageSources, type ExclusionReason } from './source-files.js';

/** One corpus file: where it sits in the working tree and where its bytes live in the cache. */
export interface CorpusFile {
  /** Path in the working tree, `<package folder>/<path in package>`. */
  readonly path: string;
  /** Absolute path of the installed file in the cache. */
  readonly source: string;
  readonly bytes: number;
}

/** The installed packages of one corpus size and the source files chosen from them. */
export interface CorpusCache {
  readonly size: CorpusSize;
  readonly dir: string;
  readonly listHash: string;
  readonly packages: readonly PinnedPackage[];
  readonly files: readonly CorpusFile[];
  readonly bytes: number;
  readonly excluded: Readonly<Record<string, number>>;
}

interface CacheManifest {
  readonly listHash: string;
  readonly packages: readonly PinnedPackage[];
  readonly files: readonly { path: string; bytes: number }[];
  readonly excluded: Record<string, number>;
}

/** A step of corpus preparation failed in a way the person running the benchmark must fix. */
export class CorpusError extends Error {
  override readonly name = 'CorpusError';
}

function installedVersion(dir: string, pkg: PinnedPackage): string | undefined {
  try {
    const json = JSON.parse(readFileSync(join(dir, 'node_modules', pkg.name, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof json.version === 'string' ? json.version : undefined;
  } catch {
    return undefined;
  }
}

function install(dir: string, packages: readonly PinnedPackage[], log: (line: string) => void): void {
  mkdirSync(dir, { recursive: true });
  const dependencies = Object.fromEntries(packages.map((pkg) => [pkg.name, pkg.version]));
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'auxil-bench-corpus', private: true, dependencies }, null, 2)}\n`);
  // Peer dependencies are not installed (--legacy-peer-deps): they are not part of the corpus, and
  // the UI kits' peer ranges conflict with each other.
  log(`installing ${packages.length} packages into ${dir} (npm install --ignore-scripts) …`);
  if (!npmInstall(dir, ['--ignore-scripts', '--legacy-peer-deps', '--engine-strict=false']))
    throw new CorpusError(`npm install failed in ${dir}`);
  const wrong = packages.filter((pkg) => installedVersion(dir, pkg) !== pkg.version);
  if (wrong.length > 0) {
    throw new CorpusError(`installed versions differ from the pins: ${wrong.map((pkg) => `${pkg.name}@${pkg.version}`).join(', ')}`);
  }
}

/**
 * Makes sure the packages of a corpus size are installed in `bench/.corpus/cache/<size>` and their
 * source files listed. A manifest holding the package-list hash marks a finished cache; with it
 * present and matching, nothing is installed or scanned again.
 */
export function ensureCorpusCache(corpusRoot: string, size: CorpusSize, log: (line: string) => void): CorpusCache {
  const packages = packagesFor(size);
  const listHash = packageListHash(packages);
  const dir = join(corpusRoot, 'cache', size);
  const manifestFile = join(dir, 'corpus-manifest.json');
  let manifest: CacheManifest | undefined;
  if (existsSync(manifestFile)) {
    const saved = JSON.parse(readFileSync(manifestFile, 'utf8')) as CacheManifest;
    if (saved.listHash === listHash) manifest = saved;
  }
  if (manifest === undefined) {
    rmSync(manifestFile, { force: true });
    if (packages.some((pkg) => installedVersion(dir, pkg) !== pkg.version)) install(dir, packages, log);
    else log(`packages already installed in ${dir}`);
    const excludedCounts = new Map<ExclusionReason, number>();
    const files = packages.flatMap((pkg) =>
      listPackageSources(join(dir, 'node_modules', pkg.name), excludedCounts).map((file) => ({
        path: `${packageFolder(pkg)}/${file.path}`,
        bytes: file.bytes,
      })),
    );
    manifest = { listHash, packages, files, excluded: Object.fromEntries(excludedCounts) };
    writeFileSync(manifestFile, `${JSON.stringify(manifest)}\n`);
  }
  const folders = new Map(packages.map((pkg) => [packageFolder(pkg), pkg.name]));
  const files = manifest.files.map((file) => {
    const slash = file.path.indexOf('/');
    const name = folders.get(file.path.slice(0, slash));
    if (name === undefined) throw new CorpusError(`corpus manifest lists ${file.path}, which belongs to no pinned package`);
    return { path: file.path, source: join(dir, 'node_modules', name, file.path.slice(slash + 1)), bytes: file.bytes };
  });
  const bytes = files.reduce((sum, file) => sum + file.bytes, 0);
  return { size, dir, listHash, packages, files, bytes, excluded: manifest.excluded };
}
