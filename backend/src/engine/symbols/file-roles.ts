import type { LanguageId } from '../lexing/tokens.js';
import { fileStem, namingStyle } from './naming.js';
import type { SymbolInfo } from './symbol-types.js';

/** Languages whose files share naming and layout habits: TypeScript with JavaScript, C with C++. */
export type LanguageFamily = 'javascript' | 'python' | 'java' | 'go' | 'csharp' | 'c' | 'rust' | 'kotlin' | 'php' | 'ruby';

export function familyOf(language: LanguageId): LanguageFamily {
  if (language === 'typescript') return 'javascript';
  if (language === 'cpp') return 'c';
  return language;
}

export const LANGUAGE_NAMES: Readonly<Record<LanguageId, string>> = {
  typescript: 'TypeScript',
  javascript: 'JavaScript',
  python: 'Python',
  java: 'Java',
  go: 'Go',
  csharp: 'C#',
  c: 'C',
  cpp: 'C++',
  rust: 'Rust',
  kotlin: 'Kotlin',
  php: 'PHP',
  ruby: 'Ruby',
};

export const FAMILY_NAMES: Readonly<Record<LanguageFamily, string>> = {
  javascript: 'TypeScript/JavaScript',
  python: 'Python',
  java: 'Java',
  go: 'Go',
  csharp: 'C#',
  c: 'C/C++',
  rust: 'Rust',
  kotlin: 'Kotlin',
  php: 'PHP',
  ruby: 'Ruby',
};

/** The folder of a path ('' at the project root), with `/` separators. */
export function folderOf(path: string): string {
  const normalized = path.replace(/\\/g, '/');
  const slash = normalized.lastIndexOf('/');
  return slash < 0 ? '' : normalized.slice(0, slash);
}

export function fileNameOf(path: string): string {
  const normalized = path.replace(/\\/g, '/');
  return normalized.slice(normalized.lastIndexOf('/') + 1);
}

const TEST_NAME_PATTERNS = [
  // foo.test.ts, foo.spec.tsx, foo_test.go, foo_spec.rb, foo-test.js, foo_unittest.cc, foo.e2e-spec.ts
  /[._-](?:test|tests|spec|unittest|e2e-spec)\.[^.]+$/i,
  // test_foo.py, test_foo.c
  /^test_[^/]+\.[^.]+$/,
  // FooTest.java, FooTests.cs, FooSpec.kt, FooIT.java, FooTest.php
  /[A-Za-z0-9_](?:Test|Tests|Spec|IT)\.(?:java|kt|kts|cs|php|groovy|scala|swift)$/,
];

/** Whether the file is a test by its name (`*.test.*`, `*.spec.*`, `test_*.py`, `*_test.go`, `*Test.java`, ...). */
export function isTestFile(path: string): boolean {
  const name = fileNameOf(path);
  return TEST_NAME_PATTERNS.some((pattern) => pattern.test(name));
}

/** Folder names that hold tests. */
export const TEST_FOLDERS: readonly string[] = ['test', 'tests', '__tests__', '__test__', 'spec', 'specs', 'testing'];

/** Where a test file sits: under a test folder (any ancestor), or next to the code it tests. */
export type TestLocation = 'test-folder' | 'colocated';

export function testLocationOf(path: string): TestLocation {
  const segments = folderOf(path).split('/');
  return segments.some((segment) => TEST_FOLDERS.includes(segment)) ? 'test-folder' : 'colocated';
}

/** Where a React component file sits: under a `components/` folder (any ancestor), or elsewhere. */
export type ComponentLocation = 'components-folder' | 'elsewhere';

/** Route files of file-system routers (Next.js, Remix): components by shape, but their place is fixed by the router. */
const ROUTE_FILES = new Set([
  'page',
  'layout',
  'template',
  'loading',
  'error',
  'not-found',
  'route',
  'default',
  'global-error',
  'app',
  'document',
  'root',
]);

/**
 * The component a `.tsx`/`.jsx` file defines, if it is a component file: not a test or a story,
 * not a router's route file, and declaring a PascalCase function, class or constant named like
 * the file (`UserCard.tsx` or `user-card.tsx` declaring `UserCard`; `UserCard/index.tsx` too).
 */
export function componentOf(path: string, symbols: readonly SymbolInfo[]): string | undefined {
  const name = fileNameOf(path);
  if (!/\.(?:tsx|jsx)$/i.test(name) || isTestFile(path) || /\.stories?\./i.test(name)) return undefined;
  let stem = fileStem(name).replace(/^_+/, '');
  if (ROUTE_FILES.has(stem.toLowerCase())) return undefined;
  if (stem === 'index') stem = fileNameOf(folderOf(path));
  const wanted = squash(stem);
  const component = symbols.find(
    (symbol) =>
      symbol.container === undefined &&
      (symbol.kind === 'function' || symbol.kind === 'class' || symbol.kind === 'constant' || symbol.kind === 'variable') &&
      namingStyle(symbol.name) === 'PascalCase' &&
      squash(symbol.name) === wanted,
  );
  return component?.name;
}

function squash(name: string): string {
  return name.replace(/[-_.]/g, '').toLowerCase();
}

export function componentLocationOf(path: string): ComponentLocation {
  const segments = folderOf(path).split('/');
  return segments.some((segment) => segment === 'components' || segment === 'component') ? 'components-folder' : 'elsewhere';
}
