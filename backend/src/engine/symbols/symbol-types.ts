/**
 * The facts symbol extraction produces for one file. Everything here is plain, JSON-serialisable
 * data: the backend persists it as is and the MCP tools return it as is.
 */

/** What a declared name is. Languages map their own constructs onto this common set. */
export type SymbolKind =
  'function' | 'method' | 'class' | 'interface' | 'type' | 'enum' | 'struct' | 'trait' | 'module' | 'variable' | 'constant';

/** Every symbol kind, in a fixed order (for tables and tests). */
export const SYMBOL_KINDS: readonly SymbolKind[] = [
  'function',
  'method',
  'class',
  'interface',
  'type',
  'enum',
  'struct',
  'trait',
  'module',
  'variable',
  'constant',
];

/** One declaration. */
export interface SymbolInfo {
  /** The declared name as written (`getUser`, `__init__`, `~Buffer`, `#secret`). */
  readonly name: string;
  readonly kind: SymbolKind;
  /** 1-based line where the declaration starts: its first decorator, annotation or modifier. */
  readonly startLine: number;
  /** 1-based line of the declaration's last token, its body included. */
  readonly endLine: number;
  /** 0-based UTF-16 column of the declaration's first token. */
  readonly startColumn: number;
  /** Whether other files can use it, by the language's rules (see each language's extractor). */
  readonly exported: boolean;
  /** The enclosing class, struct, impl, trait, namespace or module, for members and nested types. */
  readonly container?: string;
}

/** One import, include, use or require. */
export interface ImportInfo {
  /** What is imported from, as written: `./user`, `os.path`, `java.util`, `std::io`, `stdio.h`. */
  readonly module: string;
  /**
   * The names taken from the module as the module exports them: `default` for a default import,
   * `*` for the whole module (a namespace import, `import os`, a wildcard); empty for an import
   * done for its side effects only (`import './polyfill'`, `#include`, `require_relative`).
   */
  readonly names: string[];
  /** 1-based line of the import statement. */
  readonly line: number;
}

/** A file's declarations, in source order, and its imports, in source order. */
export interface FileSymbols {
  readonly symbols: SymbolInfo[];
  readonly imports: ImportInfo[];
}
