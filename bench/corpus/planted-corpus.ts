import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GroundTruth } from '../injection/ground-truth.js';
import { plantClones } from '../injection/planter.js';
import { ensureCorpusCache, type CorpusCache } from './corpus-cache.js';
import type { CorpusSize } from './corpus-packages.js';
import { linkWorkingTree } from './working-tree.js';

/**
 * Bump when the injector changes what it plants, so trees planted by an older injector are rebuilt
 * instead of reused.
 */
export const INJECTOR_VERSION = 2;

/** A working tree ready to analyse: the corpus plus planted copies, and the ground truth. */
export interface PlantedCorpus {
  readonly cache: CorpusCache;
  readonly tree: string;
  readonly truth: GroundTruth;
  /** Where the ground truth is stored (JSON). */
  readonly truthFile: string;
  /** Source files in the tree (corpus files plus new files holding planted copies). */
  readonly files: number;
  readonly bytes: number;
  readonly reused: boolean;
  readonly notes: readonly string[];
}

interface TreeManifest {
  readonly listHash: string;
  readonly seed: number;
  readonly perType: number;
  readonly injectorVersion: number;
  readonly files: number;
  readonly bytes: number;
  readonly notes: string[];
}

/**
 * Builds (or reuses) `bench/.corpus/trees/<size>-seed<seed>`: hard links into the cache, then the
 * planted copies. The tree's manifest, written last, marks it complete; a tree without a matching
 * manifest is deleted and built again.
 */
export function ensurePlantedCorpus(
  corpusRoot: string,
  size: CorpusSize,
  seed: number,
  perType: number,
  log: (line: string) => void,
): PlantedCorpus {
  const cache = ensureCorpusCache(corpusRoot, size, log);
  const name = `${size}-seed${seed}`;
  const tree = join(corpusRoot, 'trees', name);
  const manifestFile = join(corpusRoot, 'trees', `${name}.manifest.json`);
  const truthFile = join(corpusRoot, 'trees', `${name}.ground-truth.json`);
  if (existsSync(manifestFile) && existsSync(truthFile)) {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as TreeManifest;
    if (
      manifest.listHash === cache.listHash &&
      manifest.seed === seed &&
      manifest.perType === perType &&
      manifest.injectorVersion === INJECTOR_VERSION
    ) {
      const truth = JSON.parse(readFileSync(truthFile, 'utf8')) as GroundTruth;
      log(`reusing planted tree ${tree}`);
      return { cache, tree, truth, truthFile, files: manifest.files, bytes: manifest.bytes, reused: true, notes: manifest.notes };
    }
  }
  rmSync(manifestFile, { force: true });
  rmSync(tree, { recursive: true, force: true });
  log(`linking ${cache.files.length} files into ${tree} …`);
  linkWorkingTree(tree, cache.files);
  log(`planting ${perType} copies of each clone type (seed ${seed}) …`);
  const summary = plantClones(tree, cache.files, perType, seed, name);
  const { truth } = summary;
  const notes = [
    `${summary.filesParsed} files parsed for ${summary.uniqueCandidates} candidate functions unique in the corpus (at most one per file)`,
    `${summary.appended} copies appended to existing files, ${summary.created} written as new files`,
  ];
  const manifest: TreeManifest = {
    listHash: cache.listHash,
    seed,
    perType,
    injectorVersion: INJECTOR_VERSION,
    files: cache.files.length + summary.created,
    bytes: cache.bytes + summary.bytesAdded,
    notes,
  };
  writeFileSync(truthFile, `${JSON.stringify(truth, null, 1)}\n`);
  writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  return { cache, tree, truth, truthFile, files: manifest.files, bytes: manifest.bytes, reused: false, notes };
}
