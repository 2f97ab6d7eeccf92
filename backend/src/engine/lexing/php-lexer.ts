import {
  IDENTIFIER_PART,
  IDENTIFIER_START,
  identifierEnd,
  identifierTable,
  isIdentifierPart,
  isIdentifierStart,
  isWideIdentifierChar,
} from './character-classes.js';
import { KeywordTable, keywordKind, words } from './keyword-table.js';
import { scanNumber, type NumberSyntax } from './number-scanner.js';
import { OperatorTable } from './operator-table.js';
import { Scanner } from './scanner.js';
import { HoleOpener, scanStringLiteral, type StringSyntax } from './string-literal-scanner.js';
import { TokenKind, type LexedFile } from './tokens.js';

const IDENTIFIERS = identifierTable('');
const NUMBERS: NumberSyntax = { dotNeedsDigit: true, apostropheSeparators: false };
const OPERATORS = new OperatorTable(
  words(`<=> === !== **= ??= ... <<= >>= ?-> -> => :: ++ -- && || ?? == != <> <= >= += -= *= /= .= %= &= |= ^= << >> **`),
);
const KEYWORDS = new KeywordTable({
  caseInsensitive: true,
  keywords: words(`abstract and array as break callable case catch class clone const continue declare default do echo
    else elseif empty enddeclare endfor endforeach endif endswitch endwhile extends final finally fn for foreach function
    global goto if implements include include_once instanceof insteadof interface isset list match namespace new or
    print private protected public readonly require require_once return static switch throw trait try unset use var
    while xor yield`),
  values: words('true false null self parent'),
  soft: words('enum'),
  builtinTypes: words('int float bool string void mixed never object iterable'),
});
const DOUBLE_QUOTED: StringSyntax = { hole: HoleOpener.Php, escapes: true, doubledQuotes: false, multiline: true };

/**
 * Lexes PHP. Only code between `<?php` (or `<?=`, `<?`) and `?>` is tokenized; the inline HTML
 * around it is skipped, and a file without a closing tag is code to its end. `$name` is one
 * Identifier; heredocs and nowdocs are one String token from `<<<` to the closing name.
 */
export function lexPhp(text: string): LexedFile {
  const s = new Scanner(text);
  new PhpLexer(s).run();
  return s.finish('php');
}

class PhpLexer {
  private afterArrow = false;

  constructor(private readonly s: Scanner) {}

  run(): void {
    const s = this.s;
    while (s.pos < s.end) {
      this.skipHtml();
      this.scanCode();
    }
  }

  /** Skips inline HTML up to and including the next opening tag. */
  private skipHtml(): void {
    const s = this.s;
    const text = s.text;
    while (s.pos < s.end) {
      const p = s.pos;
      const c = text.charCodeAt(p);
      if (c === 60 && text.charCodeAt(p + 1) === 63) {
        if ((text.charCodeAt(p + 2) | 32) === 112 && (text.charCodeAt(p + 3) | 32) === 104 && (text.charCodeAt(p + 4) | 32) === 112) {
          s.pos = p + 5;
          return;
        }
        if (text.charCodeAt(p + 2) === 61) {
          s.pos = p + 3;
          return;
        }
        if (!text.startsWith('xml', p + 2)) {
          s.pos = p + 2;
          return;
        }
      }
      if (c === 10 || c === 13) s.breakLine();
      else s.pos = p + 1;
    }
  }

  /** Scans code up to and including the closing `?>`, or to the end of the text. */
  private scanCode(): void {
    const s = this.s;
    const text = s.text;
    const end = s.end;
    while (s.pos < end) {
      const start = s.pos;
      const c = text.charCodeAt(start);
      switch (c) {
        case 32:
        case 9:
        case 11:
        case 12:
          s.pos = start + 1;
          continue;
        case 10:
        case 13:
          s.breakLine();
          continue;
        case 63:
          if (text.charCodeAt(start + 1) === 62) {
            s.pos = start + 2;
            return;
          }
          this.operator(start);
          continue;
        case 35:
          if (text.charCodeAt(start + 1) === 91) this.punctuation(start, 2);
          else this.skipLineComment();
          continue;
        case 47: {
          const next = text.charCodeAt(start + 1);
          if (next === 47) this.skipLineComment();
          else if (next === 42) s.skipBlockComment(false);
          else this.operator(start);
          continue;
        }
        case 36:
          if (isIdentifierStart(IDENTIFIERS, text.charCodeAt(start + 1))) {
            s.pos = identifierEnd(text, start + 2, end, IDENTIFIERS);
            this.emit(TokenKind.Identifier, start, s.line, start - s.lineStart);
          } else this.operator(start);
          continue;
        case 39:
        case 34:
        case 96:
          this.string(start, c);
          continue;
        case 60:
          if (text.charCodeAt(start + 1) === 60 && text.charCodeAt(start + 2) === 60 && this.heredoc(start)) continue;
          this.operator(start);
          continue;
        case 46: {
          const next = text.charCodeAt(start + 1);
          if (next >= 48 && next <= 57) this.number(start);
          else this.operator(start);
          continue;
        }
        default:
          if (c < 128) {
            const flags = IDENTIFIERS[c]!;
            if ((flags & IDENTIFIER_START) !== 0) this.word(start);
            else if ((flags & IDENTIFIER_PART) !== 0) this.number(start);
            else if (c < 32 || c === 127) s.pos = start + 1;
            else this.operator(start);
          } else if (isWideIdentifierChar(c)) this.word(start);
          else s.pos = start + 1;
      }
    }
  }

  private emit(kind: TokenKind, start: number, line: number, column: number): void {
    this.s.emitSpan(kind, start, line, column);
    this.afterArrow = false;
  }

  private punctuation(start: number, length: number): void {
    this.s.pos = start + length;
    this.emit(TokenKind.Punctuation, start, this.s.line, start - this.s.lineStart);
  }

  /** Emits the longest operator; a name after `->`, `?->` or `::` is a member, never a keyword (`$q->list`, `Foo::class`). */
  private operator(start: number): void {
    const text = this.s.text;
    const length = OPERATORS.match(text, start);
    this.punctuation(start, length);
    const last = text.charCodeAt(start + length - 1);
    this.afterArrow = length >= 2 && (last === 62 ? text.charCodeAt(start + length - 2) === 45 : last === 58);
  }

  private number(start: number): void {
    scanNumber(this.s, NUMBERS);
    this.emit(TokenKind.Number, start, this.s.line, start - this.s.lineStart);
  }

  private word(start: number): void {
    const s = this.s;
    const end = identifierEnd(s.text, start + 1, s.end, IDENTIFIERS);
    s.pos = end;
    const entry = this.afterArrow ? 0 : KEYWORDS.lookup(s.text, start, end);
    this.emit(keywordKind(entry, s.text, end, IDENTIFIERS), start, s.line, start - s.lineStart);
  }

  /** A `//` or `#` comment ends at the line break or just before a `?>` closing tag. */
  private skipLineComment(): void {
    const s = this.s;
    const text = s.text;
    let p = s.pos;
    while (p < s.end) {
      const c = text.charCodeAt(p);
      if (c === 10 || c === 13 || (c === 63 && text.charCodeAt(p + 1) === 62)) break;
      p++;
    }
    s.pos = p;
  }

  /** Single-quoted strings have only `\'` and `\\` escapes; double-quoted and backquoted ones interpolate. All may span lines. */
  private string(start: number, quote: number): void {
    const s = this.s;
    const line = s.line;
    const column = start - s.lineStart;
    s.pos = start + 1;
    if (quote === 39) s.scanQuoted(39, true);
    else scanStringLiteral(s, quote, 1, DOUBLE_QUOTED);
    this.emit(TokenKind.String, start, line, column);
  }

  /**
   * Scans a heredoc (`<<<EOT`, `<<<"EOT"`) or nowdoc (`<<<'EOT'`) at `start` if one is there: the
   * opener must end its line; the body runs to a line whose first non-blank text is the name not
   * followed by a name character (PHP 7.3 allows indentation and code after it, as in `EOT;`).
   * Unterminated, it runs to the end of the text. Returns false, consuming nothing, if no heredoc.
   */
  private heredoc(start: number): boolean {
    const s = this.s;
    const text = s.text;
    let p = start + 3;
    while (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9) p++;
    const quote = text.charCodeAt(p) === 39 || text.charCodeAt(p) === 34 ? text.charCodeAt(p++) : 0;
    if (!isIdentifierStart(IDENTIFIERS, text.charCodeAt(p))) return false;
    const nameEnd = identifierEnd(text, p + 1, s.end, IDENTIFIERS);
    const name = text.slice(p, nameEnd);
    p = nameEnd;
    if (quote !== 0 && text.charCodeAt(p++) !== quote) return false;
    if (text.charCodeAt(p) !== 10 && text.charCodeAt(p) !== 13) return false;
    const line = s.line;
    const column = start - s.lineStart;
    s.pos = p;
    while (s.pos < s.end) {
      s.breakLine();
      s.skipBlanks();
      const q = s.pos;
      if (text.startsWith(name, q) && !isIdentifierPart(IDENTIFIERS, text.charCodeAt(q + name.length))) {
        s.pos = q + name.length;
        break;
      }
      s.skipToLineEnd();
    }
    this.emit(TokenKind.String, start, line, column);
    return true;
  }
}
