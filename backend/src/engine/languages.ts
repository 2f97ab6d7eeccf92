/**
 * How a language writes comments and strings: all the scanner needs to drop comments and keep
 * string literals whole. Languages are grouped by family because the clone finder works on
 * token shapes, not on grammar.
 */
export interface LanguageSyntax {
  /** Stable identifier, e.g. "typescript". */
  readonly id: string;
  /** Line comment openers, e.g. ["//"] or ["#"]. */
  readonly lineComments: readonly string[];
  /** Whether `/* ... *\/` block comments exist. */
  readonly blockComments: boolean;
  /** Whether `'''` and `"""` delimit (possibly multi-line) strings. */
  readonly tripleQuotes: boolean;
  /** Whether backquotes delimit (possibly multi-line) strings. */
  readonly backquoteStrings: boolean;
}

const cFamily = { lineComments: ['//'], blockComments: true, tripleQuotes: false } as const;
const hashFamily = { lineComments: ['#'], blockComments: false } as const;

const syntaxes: readonly LanguageSyntax[] = [
  { id: 'typescript', ...cFamily, backquoteStrings: true },
  { id: 'javascript', ...cFamily, backquoteStrings: true },
  { id: 'java', ...cFamily, backquoteStrings: false },
  { id: 'kotlin', ...cFamily, tripleQuotes: true, backquoteStrings: false },
  { id: 'csharp', ...cFamily, backquoteStrings: false },
  { id: 'c', ...cFamily, backquoteStrings: false },
  { id: 'cpp', ...cFamily, backquoteStrings: false },
  { id: 'go', ...cFamily, backquoteStrings: true },
  { id: 'rust', ...cFamily, backquoteStrings: false },
  { id: 'swift', ...cFamily, tripleQuotes: true, backquoteStrings: false },
  { id: 'php', lineComments: ['//', '#'], blockComments: true, tripleQuotes: false, backquoteStrings: true },
  { id: 'python', ...hashFamily, tripleQuotes: true, backquoteStrings: false },
  { id: 'ruby', ...hashFamily, tripleQuotes: false, backquoteStrings: true },
  { id: 'shell', ...hashFamily, tripleQuotes: false, backquoteStrings: true },
];

const byExtension: Record<string, string> = {
  ts: 'typescript',
  tsx: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  js: 'javascript',
  jsx: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  java: 'java',
  kt: 'kotlin',
  kts: 'kotlin',
  cs: 'csharp',
  c: 'c',
  h: 'c',
  cc: 'cpp',
  cpp: 'cpp',
  cxx: 'cpp',
  hpp: 'cpp',
  hh: 'cpp',
  go: 'go',
  rs: 'rust',
  swift: 'swift',
  php: 'php',
  py: 'python',
  rb: 'ruby',
  sh: 'shell',
  bash: 'shell',
};

/** The syntax for a file path, or undefined when Auxil does not analyse that kind of file. */
export function syntaxForPath(path: string): LanguageSyntax | undefined {
  const dot = path.lastIndexOf('.');
  if (dot < 0 || dot < path.lastIndexOf('/')) return undefined;
  const id = byExtension[path.slice(dot + 1).toLowerCase()];
  return id === undefined ? undefined : syntaxes.find((syntax) => syntax.id === id);
}

/** Every file extension (without the dot) the engine analyses. */
export function analysedExtensions(): string[] {
  return Object.keys(byExtension);
}
