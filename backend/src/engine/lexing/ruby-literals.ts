import { identifierEnd, identifierTable, isIdentifierPart, isIdentifierStart, isLineBreak } from './character-classes.js';
import { OperatorTable } from './operator-table.js';
import type { Scanner } from './scanner.js';
import { TokenKind } from './tokens.js';

/** Ruby's identifier table: letters, digits and `_` (sigils and `?`/`!` suffixes are handled by the lexer). */
export const RUBY_IDENTIFIERS = identifierTable('');

/** A heredoc whose body starts on the line after its opener. */
export interface PendingHeredoc {
  readonly name: string;
  /** `<<~` and `<<-` let the terminator be indented. */
  readonly indented: boolean;
}

/**
 * Reads a heredoc opener at `start` (`<<~EOS`, `<<-EOS`, `<<EOS`, `<<~'EOS'`, `<<~"EOS"`): returns
 * the heredoc with `pos` after the opener, or undefined (nothing consumed). `bare` allows the
 * `<<EOS` form, which is a shift after an operand.
 */
export function scanHeredocOpener(s: Scanner, start: number, bare: boolean): PendingHeredoc | undefined {
  const text = s.text;
  let p = start + 2;
  const flag = text.charCodeAt(p);
  const indented = flag === 126 || flag === 45;
  if (indented) p++;
  else if (!bare) return undefined;
  const quote = text.charCodeAt(p);
  let name: string;
  if (quote === 39 || quote === 34 || quote === 96) {
    let q = p + 1;
    while (q < s.end && text.charCodeAt(q) !== quote && text.charCodeAt(q) !== 10 && text.charCodeAt(q) !== 13) q++;
    if (text.charCodeAt(q) !== quote || q === p + 1) return undefined;
    name = text.slice(p + 1, q);
    s.pos = q + 1;
  } else {
    const first = text.charCodeAt(p);
    // The bare form takes only constant-like names: `x <<y` is a shift.
    if (!isIdentifierStart(RUBY_IDENTIFIERS, first) || (!indented && !(first >= 65 && first <= 90) && first !== 95)) return undefined;
    const nameEnd = identifierEnd(text, p + 1, s.end, RUBY_IDENTIFIERS);
    name = text.slice(p, nameEnd);
    s.pos = nameEnd;
  }
  return { name, indented };
}

/**
 * Scans one heredoc body with `pos` at the start of its first line, through the terminator line's
 * name, and emits it as one String token. Unterminated, it runs to the end of the text.
 */
export function scanHeredocBody(s: Scanner, heredoc: PendingHeredoc): void {
  const text = s.text;
  const start = s.pos;
  const line = s.line;
  const name = heredoc.name;
  while (s.pos < s.end) {
    if (heredoc.indented) s.skipBlanks();
    const q = s.pos;
    if (text.startsWith(name, q)) {
      let after = q + name.length;
      while (text.charCodeAt(after) === 32 || text.charCodeAt(after) === 9) after++;
      if (after >= s.end || text.charCodeAt(after) === 10 || text.charCodeAt(after) === 13) {
        s.pos = q + name.length;
        break;
      }
    }
    s.skipToLineEnd();
    if (s.pos < s.end) s.breakLine();
  }
  if (s.pos > start) s.emitSpan(TokenKind.String, start, line, 0);
}

const PERCENT_TYPES = 'wWiIqQrsx';

/**
 * Scans a `%` literal at `start` if one is there: `%w[a b]`, `%i(a b)`, `%q{...}`, `%Q<...>`,
 * `%r{...}`, `%(...)`. Bracket delimiters nest (`%w[a [b] c]`), escapes skip the next character,
 * and a `#{...}` inside brace-delimited literals nests naturally. Returns the token kind (Regex
 * for `%r`) with `pos` at the end, or 0 when `%` is not a literal here. Unterminated, the literal
 * runs to the end of the text.
 */
export function scanPercentLiteral(s: Scanner, start: number): TokenKind | 0 {
  const text = s.text;
  let p = start + 1;
  const type = text.charCodeAt(p);
  const typed = type < 128 && PERCENT_TYPES.includes(String.fromCharCode(type));
  if (typed) p++;
  const open = text.charCodeAt(p);
  const validDelimiter = open > 32 && open < 127 && !isIdentifierPart(RUBY_IDENTIFIERS, open) && (typed || open !== 61);
  if (!validDelimiter) return 0;
  const close = open === 40 ? 41 : open === 91 ? 93 : open === 123 ? 125 : open === 60 ? 62 : open;
  let depth = 1;
  s.pos = p + 1;
  while (s.pos < s.end) {
    const q = s.pos;
    const c = text.charCodeAt(q);
    if (c === 92) s.pos = isLineBreak(text.charCodeAt(q + 1)) ? q + 1 : q + 2;
    else if (c === close) {
      s.pos = q + 1;
      if (--depth === 0) break;
    } else if (c === open) {
      depth++;
      s.pos = q + 1;
    } else if (c === 10 || c === 13) s.breakLine();
    else s.pos = q + 1;
  }
  if (s.pos > s.end) s.pos = s.end;
  if (type === 114) {
    s.pos = identifierEnd(text, s.pos, s.end, RUBY_IDENTIFIERS);
    return TokenKind.Regex;
  }
  return TokenKind.String;
}

/**
 * Scans a `/.../flags` regular expression at `start` (escapes and `[...]` classes respected).
 * Unterminated, it ends at the end of the line so that a misjudged division costs one line.
 */
export function scanRegex(s: Scanner, start: number): void {
  const text = s.text;
  const end = s.end;
  let p = start + 1;
  let inClass = false;
  while (p < end) {
    const c = text.charCodeAt(p);
    if (c === 10 || c === 13) break;
    if (c === 92) {
      p = isLineBreak(text.charCodeAt(p + 1)) ? p + 1 : p + 2;
      continue;
    }
    p++;
    if (c === 91) inClass = true;
    else if (c === 93) inClass = false;
    else if (c === 47 && !inClass) {
      p = identifierEnd(text, p, end, RUBY_IDENTIFIERS);
      break;
    }
  }
  s.pos = p > end ? end : p;
}

const SYMBOL_OPERATORS = new OperatorTable(['[]=', '[]', '<=>', '===', '==', '=~', '!=', '!~', '**', '<<', '>>', '<=', '>=', '+@', '-@']);
const SINGLE_SYMBOL_OPERATORS = '+-*/%<>!&|^~';

/**
 * Length of the symbol at `start` (a `:`), or 0 if none: `:name` (with a `?`, `!` or `=`
 * suffix), `:@ivar`, `:$global`, `:"quoted"`, and operator symbols such as `:<=>` and `:[]`
 * when `operators` allows them (not after an operand, where `a ? b :c` is a ternary).
 */
export function symbolEnd(s: Scanner, start: number, operators: boolean): number {
  const text = s.text;
  let p = start + 1;
  let c = text.charCodeAt(p);
  if (c === 34 || c === 39) {
    s.pos = p + 1;
    s.scanQuoted(c, false);
    return s.pos;
  }
  if (c === 64 || c === 36) c = text.charCodeAt(++p);
  if (c === 64) c = text.charCodeAt(++p);
  if (isIdentifierStart(RUBY_IDENTIFIERS, c)) {
    p = identifierEnd(text, p + 1, s.end, RUBY_IDENTIFIERS);
    const suffix = text.charCodeAt(p);
    if ((suffix === 63 || suffix === 33) && text.charCodeAt(p + 1) !== 61) p++;
    else if (suffix === 61 && !'=~>'.includes(text.charAt(p + 1))) p++;
    return p;
  }
  if (!operators || p !== start + 1) return 0;
  const length = SYMBOL_OPERATORS.match(text, p);
  if (length > 1) return p + length;
  return c < 128 && SINGLE_SYMBOL_OPERATORS.includes(String.fromCharCode(c)) ? p + 1 : 0;
}

/** Length-aware end of a `$` global at `start`: `$name`, `$0`, `$1`, or one punctuation (`$!`, `$~`, `$:`), `$-w`. */
export function globalEnd(text: string, start: number, end: number): number {
  const c = text.charCodeAt(start + 1);
  if (isIdentifierPart(RUBY_IDENTIFIERS, c)) return identifierEnd(text, start + 2, end, RUBY_IDENTIFIERS);
  if (c === 45 && isIdentifierPart(RUBY_IDENTIFIERS, text.charCodeAt(start + 2))) return start + 3;
  return c > 32 && c < 127 ? start + 2 : start + 1;
}
