import type { LanguageId, LexedFile } from '../lexing/tokens.js';
import { extractC } from './languages/c-symbols.js';
import { extractGo } from './languages/go-symbols.js';
import { extractCSharp, extractJava } from './languages/java-csharp-symbols.js';
import { extractJavaScript } from './languages/javascript-symbols.js';
import { extractKotlin } from './languages/kotlin-symbols.js';
import { extractPhp } from './languages/php-symbols.js';
import { extractPython } from './languages/python-symbols.js';
import { extractRuby } from './languages/ruby-symbols.js';
import { extractRust } from './languages/rust-symbols.js';
import type { FileSymbols } from './symbol-types.js';
import { TokenView } from './token-view.js';

export type { FileSymbols, ImportInfo, SymbolInfo, SymbolKind } from './symbol-types.js';

const extractors: Record<LanguageId, (view: TokenView) => void> = {
  typescript: extractJavaScript,
  javascript: extractJavaScript,
  python: extractPython,
  java: extractJava,
  go: extractGo,
  csharp: extractCSharp,
  c: extractC,
  cpp: extractC,
  rust: extractRust,
  kotlin: extractKotlin,
  php: extractPhp,
  ruby: extractRuby,
};

/**
 * The declarations and imports of one lexed file, found by token patterns per language family
 * (no parser: see each extractor's comment for what it recognises and what counts as exported).
 * Symbols come in source order, a container before its members.
 */
export function extractSymbols(lexed: LexedFile): FileSymbols {
  const view = new TokenView(lexed);
  extractors[lexed.language](view);
  return { symbols: view.symbols.map((symbol) => ({ ...symbol })), imports: view.imports };
}
