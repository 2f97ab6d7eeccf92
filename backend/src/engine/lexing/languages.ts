import type { LanguageId } from './tokens.js';

/** File extension (lower case, without the dot) → the language its files are lexed as. */
const byExtension: Readonly<Record<string, LanguageId>> = {
  ts: 'typescript',
  tsx: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  js: 'javascript',
  jsx: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  py: 'python',
  pyi: 'python',
  java: 'java',
  go: 'go',
  cs: 'csharp',
  c: 'c',
  h: 'c',
  cc: 'cpp',
  cpp: 'cpp',
  cxx: 'cpp',
  hpp: 'cpp',
  hh: 'cpp',
  hxx: 'cpp',
  'c++': 'cpp',
  rs: 'rust',
  kt: 'kotlin',
  kts: 'kotlin',
  php: 'php',
  phtml: 'php',
  rb: 'ruby',
  rake: 'ruby',
  gemspec: 'ruby',
};

/** Extensions whose files may contain JSX. `.ts` never does: there `<T>x` is a type assertion. */
const jsxExtensions = new Set(['tsx', 'jsx', 'js', 'mjs', 'cjs']);

/** The extension of the file name at the end of `path`, lower-cased, or '' when it has none. */
function extensionOf(path: string): string {
  const dot = path.lastIndexOf('.');
  if (dot < 0 || dot < path.lastIndexOf('/') || dot < path.lastIndexOf('\\')) return '';
  return path.slice(dot + 1).toLowerCase();
}

/** The language of a file by its extension (case-insensitive), or undefined when it is not analysed. */
export function languageForPath(path: string): LanguageId | undefined {
  const extension = extensionOf(path);
  return Object.hasOwn(byExtension, extension) ? byExtension[extension] : undefined;
}

/** Every analysed extension, without the dot. */
export function analysedExtensions(): string[] {
  return Object.keys(byExtension);
}

/** Whether the file at `path` is lexed with JSX: .jsx, .tsx, and .js/.mjs/.cjs (React code often uses .js). */
export function isJsx(path: string): boolean {
  return jsxExtensions.has(extensionOf(path));
}
