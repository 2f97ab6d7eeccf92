import {
  IDENTIFIER_PART,
  IDENTIFIER_START,
  identifierEnd,
  isIdentifierPart,
  isIdentifierStart,
  isWideIdentifierChar,
} from './character-classes.js';
import { KeywordTable, VALUE, keywordKind, words } from './keyword-table.js';
import { scanNumber, type NumberSyntax } from './number-scanner.js';
import { OperatorTable } from './operator-table.js';
import {
  RUBY_IDENTIFIERS,
  globalEnd,
  scanHeredocBody,
  scanHeredocOpener,
  scanPercentLiteral,
  scanRegex,
  symbolEnd,
  type PendingHeredoc,
} from './ruby-literals.js';
import { Scanner } from './scanner.js';
import { HoleOpener, scanStringLiteral, type StringSyntax } from './string-literal-scanner.js';
import { TokenKind, type LexedFile } from './tokens.js';

const NUMBERS: NumberSyntax = { dotNeedsDigit: true, apostropheSeparators: false };
const OPERATORS = new OperatorTable(
  words('**= <=> === ... .. &&= ||= <<= >>= == != =~ !~ <= >= && || << >> ** :: -> => += -= *= /= %= |= &= ^= &.'),
);
const KEYWORDS = new KeywordTable({
  keywords: words(`alias and begin BEGIN break case class def defined? do else elsif END ensure for if in module next not
    or redo rescue retry return super then undef unless until when while yield`),
  values: words('self nil true false end __FILE__ __LINE__ __ENCODING__ __method__'),
});
const DOUBLE_QUOTED: StringSyntax = { hole: HoleOpener.HashBrace, escapes: true, doubledQuotes: false, multiline: true };

/**
 * Lexes Ruby. Whether `/`, `%`, `?`, `<<` and `:` start a literal depends on whether the previous
 * token ended an operand (`valueEnd`): `x / 2` divides, `split(/,/)` matches; and, after a name
 * with a space before the character but none after it, on Ruby's own command-call rule
 * (`puts /x/`, `puts %w[a]`, `puts ?a`). Heredoc bodies, which begin on the line after their
 * opener, are emitted as a second String token after the rest of the opener's line.
 */
export function lexRuby(text: string): LexedFile {
  const s = new Scanner(text);
  new RubyLexer(s).run();
  return s.finish('ruby');
}

class RubyLexer {
  /** Whether the last token ended an operand (a name, literal, `)`, `]`, `}`, `self`, `end`). */
  private valueEnd = false;
  /** Whether the last token was a plain name (a possible command call such as `puts`). */
  private afterName = false;
  /** Whether whitespace separates the current character from the last token. */
  private spaced = false;
  private afterDot = false;
  private readonly heredocs: PendingHeredoc[] = [];

  constructor(private readonly s: Scanner) {}

  run(): void {
    const s = this.s;
    const text = s.text;
    const end = s.end;
    if (this.atEndMarker()) return;
    while (s.pos < end) {
      const start = s.pos;
      const c = text.charCodeAt(start);
      switch (c) {
        case 32:
        case 9:
        case 11:
        case 12:
          s.pos = start + 1;
          this.spaced = true;
          continue;
        case 10:
        case 13:
          this.lineBreak();
          if (this.atEndMarker()) return;
          continue;
        case 35:
          s.skipToLineEnd();
          continue;
        case 92:
          if (text.charCodeAt(start + 1) === 10 || text.charCodeAt(start + 1) === 13) {
            s.pos = start + 1;
            s.breakLine();
          } else this.operator(start);
          continue;
        case 61:
          if (start === s.lineStart && this.skipEmbeddedDocument()) continue;
          this.operator(start);
          continue;
        case 34:
        case 96:
        case 39:
          this.quoted(start, c);
          continue;
        default:
          this.other(start, c);
      }
    }
  }

  /** Characters whose meaning depends on context: sigils, `:`, `?`, `/`, `%`, `<`, names, numbers, operators. */
  private other(start: number, c: number): void {
    const s = this.s;
    const text = s.text;
    const operand = this.operandExpected(start);
    switch (c) {
      case 64:
        if (text.charCodeAt(start + 1) === 64 || isIdentifierStart(RUBY_IDENTIFIERS, text.charCodeAt(start + 1))) {
          const nameStart = text.charCodeAt(start + 1) === 64 ? start + 2 : start + 1;
          this.name(start, identifierEnd(text, nameStart, s.end, RUBY_IDENTIFIERS));
        } else this.operator(start);
        return;
      case 36:
        this.name(start, globalEnd(text, start, s.end));
        return;
      case 58: {
        // `a:b` is a label then a value, `A::B` a scope; anything else may be a symbol.
        const label = start > s.lineStart && isIdentifierPart(RUBY_IDENTIFIERS, text.charCodeAt(start - 1));
        const line = s.line;
        const column = start - s.lineStart;
        const symbol = text.charCodeAt(start + 1) === 58 || label ? 0 : symbolEnd(s, start, !this.valueEnd);
        if (symbol === 0) {
          this.operator(start);
          return;
        }
        s.pos = symbol;
        s.emitSpan(TokenKind.String, start, line, column);
        this.after(true, false);
        return;
      }
      case 63:
        if (operand && this.charLiteral(start)) return;
        this.operator(start);
        return;
      case 47:
        if (operand) this.quoted(start, c);
        else this.operator(start);
        return;
      case 37:
        if (operand) {
          const line = s.line;
          const column = start - s.lineStart;
          const kind = scanPercentLiteral(s, start);
          if (kind !== 0) {
            s.emitSpan(kind, start, line, column);
            this.after(true, false);
            return;
          }
        }
        this.operator(start);
        return;
      case 60:
        if (text.charCodeAt(start + 1) === 60 && this.heredocOpener(start, operand)) return;
        this.operator(start);
        return;
      case 46: {
        const next = text.charCodeAt(start + 1);
        if (next >= 48 && next <= 57) this.number(start);
        else this.operator(start);
        return;
      }
    }
    if (c < 128) {
      const flags = RUBY_IDENTIFIERS[c]!;
      if ((flags & IDENTIFIER_START) !== 0) this.word(start);
      else if ((flags & IDENTIFIER_PART) !== 0) this.number(start);
      else if (c < 32 || c === 127) s.pos = start + 1;
      else this.operator(start);
    } else if (isWideIdentifierChar(c)) this.word(start);
    else s.pos = start + 1;
  }

  /**
   * Whether an operand may start here: after an operator or at the start of a statement, or in a
   * command call, a name followed by a space and then a character that is not a space or `=`.
   */
  private operandExpected(start: number): boolean {
    if (!this.valueEnd) return true;
    if (!this.afterName || !this.spaced) return false;
    const next = this.s.text.charCodeAt(start + 1);
    return next !== 32 && next !== 9 && next !== 61 && next !== 10 && next !== 13;
  }

  private after(valueEnd: boolean, name: boolean): void {
    this.valueEnd = valueEnd;
    this.afterName = name;
    this.spaced = false;
    this.afterDot = false;
  }

  /** Scans and emits the string (`"`, `'`, backquote; may span lines) or regex (`/`; ends at its line) at `start`. */
  private quoted(start: number, quote: number): void {
    const s = this.s;
    const line = s.line;
    const column = start - s.lineStart;
    s.pos = start + 1;
    if (quote === 47) scanRegex(s, start);
    else if (quote === 39) s.scanQuoted(39, true);
    else scanStringLiteral(s, quote, 1, DOUBLE_QUOTED);
    s.emitSpan(quote === 47 ? TokenKind.Regex : TokenKind.String, start, line, column);
    this.after(true, false);
  }

  private name(start: number, end: number): void {
    this.s.pos = end;
    this.s.emit(TokenKind.Identifier, start);
    this.after(true, true);
  }

  private number(start: number): void {
    scanNumber(this.s, NUMBERS);
    this.s.emit(TokenKind.Number, start);
    this.after(true, false);
  }

  private operator(start: number): void {
    const s = this.s;
    const length = OPERATORS.match(s.text, start);
    s.pos = start + length;
    s.emit(TokenKind.Punctuation, start);
    const c = s.text.charCodeAt(start);
    const closes = length === 1 && (c === 41 || c === 93 || c === 125);
    this.after(closes, false);
    this.afterDot = (length === 1 && c === 46) || (length === 2 && c === 38 && s.text.charCodeAt(start + 1) === 46);
  }

  /**
   * Emits a name or keyword. A trailing `?` or `!` belongs to the name (`empty?`, `save!`) unless
   * `=` follows it (`a != b`); a name directly followed by `:` is a hash or argument label, and a
   * name after `.` or `&.` is a method: neither is ever a keyword (`if:`, `obj.class`).
   */
  private word(start: number): void {
    const s = this.s;
    const text = s.text;
    let end = identifierEnd(text, start + 1, s.end, RUBY_IDENTIFIERS);
    const suffix = text.charCodeAt(end);
    if ((suffix === 63 || suffix === 33) && text.charCodeAt(end + 1) !== 61) end++;
    s.pos = end;
    const label = text.charCodeAt(end) === 58 && text.charCodeAt(end + 1) !== 58;
    const entry = this.afterDot || label ? 0 : KEYWORDS.lookup(text, start, end);
    const kind = keywordKind(entry, text, end, RUBY_IDENTIFIERS);
    s.emit(kind, start);
    const isName = kind === TokenKind.Identifier;
    this.after(isName || (entry & VALUE) !== 0, isName);
  }

  /** Emits `?a` or `?\n` as a String when `?` is followed by one character and then no name character. */
  private charLiteral(start: number): boolean {
    const s = this.s;
    const text = s.text;
    const c = text.charCodeAt(start + 1);
    if (!(c > 32) || c === 127) return false;
    if (c === 92 && !(text.charCodeAt(start + 2) > 32)) return false;
    const low = text.charCodeAt(start + 2);
    const width = c === 92 || (c >= 0xd800 && c <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) ? 2 : 1;
    if (isIdentifierPart(RUBY_IDENTIFIERS, text.charCodeAt(start + 1 + width))) return false;
    s.pos = start + 1 + width;
    s.emit(TokenKind.String, start);
    this.after(true, false);
    return true;
  }

  /** Emits a heredoc opener as a String and queues its body for the next line break. */
  private heredocOpener(start: number, operand: boolean): boolean {
    const heredoc = scanHeredocOpener(this.s, start, operand);
    if (heredoc === undefined) return false;
    this.heredocs.push(heredoc);
    this.s.emit(TokenKind.String, start);
    this.after(true, false);
    return true;
  }

  /** Steps over a line break, then over the bodies of heredocs opened on the line it ends. */
  private lineBreak(): void {
    const s = this.s;
    s.breakLine();
    for (let i = 0; i < this.heredocs.length; i++) {
      if (i > 0) {
        s.skipToLineEnd();
        if (s.pos < s.end) s.breakLine();
      }
      scanHeredocBody(s, this.heredocs[i]!);
    }
    this.heredocs.length = 0;
    this.after(false, false);
    this.spaced = true;
  }

  /** `=begin` ... `=end` at the start of lines is a comment; returns false if `=` does not start one. */
  private skipEmbeddedDocument(): boolean {
    const s = this.s;
    const text = s.text;
    if (!startsLine(text, s.pos, '=begin')) return false;
    while (s.pos < s.end) {
      s.skipToLineEnd();
      if (s.pos < s.end) s.breakLine();
      if (startsLine(text, s.pos, '=end')) {
        s.skipToLineEnd();
        break;
      }
    }
    return true;
  }

  /** Whether the line at `pos` is `__END__`, after which the file is data, not code. */
  private atEndMarker(): boolean {
    const s = this.s;
    return s.text.charCodeAt(s.pos) === 95 && startsLine(s.text, s.pos, '__END__');
  }
}

/** Whether `word` is at `pos` and followed by whitespace, a line break or the end. */
function startsLine(text: string, pos: number, word: string): boolean {
  if (!text.startsWith(word, pos)) return false;
  const next = text.charCodeAt(pos + word.length);
  return !(next > 32);
}
