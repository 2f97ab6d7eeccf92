import { createHash } from 'node:crypto';

/** One published npm package at an exact version: a body of real code nobody on the team wrote. */
export interface PinnedPackage {
  readonly name: string;
  readonly version: string;
}

export type CorpusSize = 'quick' | 'large';

function pins(list: readonly (readonly [string, string])[]): PinnedPackage[] {
  return list.map(([name, version]) => ({ name, version }));
}

/**
 * The large corpus: 38 widely used JavaScript/TypeScript packages (UI kits, data, dates, maths,
 * 3D, editors, ORMs, bundlers, polyfills). Only these packages' own files enter the corpus, never
 * their dependencies, so the exact versions here fix it completely. Many ship the same code in
 * several builds (CommonJS, ES modules, sources); that natural duplication is part of real
 * corpora and stays.
 */
export const LARGE_PACKAGES: readonly PinnedPackage[] = pins([
  ['@apollo/client', '4.3.8'],
  ['@babel/runtime', '8.1.3'],
  ['@blueprintjs/core', '6.20.0'],
  ['@carbon/react', '1.117.0'],
  ['@chakra-ui/react', '3.38.0'],
  ['@elastic/eui', '122.1.0'],
  ['@fluentui/react', '8.125.7'],
  ['@mantine/core', '9.8.1'],
  ['@mui/material', '9.5.0'],
  ['@mui/x-data-grid', '9.17.0'],
  ['@patternfly/react-core', '6.6.1'],
  ['@swc/helpers', '0.5.24'],
  ['@tensorflow/tfjs-core', '4.22.0'],
  ['@wordpress/components', '41.0.0'],
  ['antd', '6.6.8'],
  ['core-js', '3.51.0'],
  ['date-fns', '4.4.0'],
  ['devextreme', '26.1.5'],
  ['echarts', '6.1.0'],
  ['effect', '4.1.0'],
  ['element-plus', '2.14.8'],
  ['es-abstract', '1.24.2'],
  ['eslint', '10.15.0'],
  ['graphql', '16.15.0'],
  ['grommet', '2.57.0'],
  ['highlight.js', '11.12.0'],
  ['jsdom', '29.1.1'],
  ['lodash', '4.18.1'],
  ['lodash-es', '4.18.1'],
  ['mathjs', '15.2.0'],
  ['moment', '2.31.0'],
  ['monaco-editor', '0.57.0'],
  ['ramda', '0.32.0'],
  ['rxjs', '7.8.2'],
  ['three', '0.187.0'],
  ['typeorm', '1.1.1'],
  ['vuetify', '4.3.0'],
  ['webpack', '5.113.0'],
]);

/**
 * The quick corpus (≈2,100 files): three.js (library and examples) and webpack, two large
 * hand-written code bases that ship their code once rather than in several builds.
 */
export const QUICK_PACKAGES: readonly PinnedPackage[] = pins([
  ['three', '0.187.0'],
  ['webpack', '5.113.0'],
]);

export function packagesFor(size: CorpusSize): readonly PinnedPackage[] {
  return size === 'large' ? LARGE_PACKAGES : QUICK_PACKAGES;
}

/** A hash of the package list: the cache and every tree built from it carry it, so a changed list rebuilds them. */
export function packageListHash(packages: readonly PinnedPackage[]): string {
  const canonical = packages
    .map((pkg) => `${pkg.name}@${pkg.version}`)
    .sort()
    .join('\n');
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/** The folder a package's files get in the working tree: `@scope/name` → `scope__name`. */
export function packageFolder(pkg: PinnedPackage): string {
  return pkg.name.replace(/^@/, '').replace('/', '__');
}
