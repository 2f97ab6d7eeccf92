import { IDENTIFIER_PART, IDENTIFIER_START, identifierEnd, isDigit, isWideIdentifierChar } from './character-classes.js';
import { C_FAMILY, StringStyle, type CFamilySyntax } from './c-family-languages.js';
import { LiteralForm, scanLiteral, scanPrefixedLiteral } from './c-family-literals.js';
import { keywordKind } from './keyword-table.js';
import { scanNumber } from './number-scanner.js';
import { Scanner } from './scanner.js';
import { TokenKind, type LanguageId, type LexedFile } from './tokens.js';

/**
 * Lexes Java, C#, Go, C, C++, Rust or Kotlin: one scanner, configured per language by its
 * `CFamilySyntax` (keywords, operators, comment nesting, and which literal forms exist).
 */
export function lexCFamily(text: string, language: LanguageId): LexedFile {
  const syntax = C_FAMILY[language] ?? C_FAMILY.c!;
  const s = new Scanner(text);
  new CFamilyLexer(s, syntax).run();
  return s.finish(language);
}

class CFamilyLexer {
  private afterDot = false;

  constructor(
    private readonly s: Scanner,
    private readonly syntax: CFamilySyntax,
  ) {}

  run(): void {
    const s = this.s;
    const text = s.text;
    const end = s.end;
    const syntax = this.syntax;
    const identifiers = syntax.identifiers;
    // A `#!` first line is a script's interpreter line (Rust scripts, C compiled with tcc -run).
    if (text.charCodeAt(s.pos) === 35 && text.charCodeAt(s.pos + 1) === 33 && text.charCodeAt(s.pos + 2) !== 91) s.skipToLineEnd();
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
        case 47: {
          const next = text.charCodeAt(start + 1);
          if (next === 47) s.skipToLineEnd();
          else if (next === 42) s.skipBlockComment(syntax.nestedComments);
          else this.operator(start);
          continue;
        }
        case 34:
          this.literal(start, LiteralForm.DoubleQuote);
          continue;
        case 39:
          this.literal(start, LiteralForm.SingleQuote);
          continue;
        case 96:
          if (syntax.backquoteStrings || syntax.backquoteIdentifiers) this.literal(start, LiteralForm.Backquote);
          else this.operator(start);
          continue;
        case 35:
          if (syntax.preprocessor && this.firstOnLine(start)) this.literal(start, LiteralForm.Directive);
          else this.operator(start);
          continue;
        case 36:
        case 64:
          if (syntax.strings === StringStyle.CSharp) this.literal(start, LiteralForm.CSharpSigil);
          else if ((identifiers[c]! & IDENTIFIER_START) !== 0) this.word(start);
          else this.operator(start);
          continue;
        case 46: {
          const next = text.charCodeAt(start + 1);
          if (next >= 48 && next <= 57) this.number(start);
          else {
            this.operator(start);
            this.afterDot = s.pos === start + 1;
          }
          continue;
        }
        default:
          if (c < 128) {
            const flags = identifiers[c]!;
            if ((flags & IDENTIFIER_START) !== 0) this.word(start);
            else if ((flags & IDENTIFIER_PART) !== 0) this.number(start);
            else if (c < 32 || c === 127) s.pos = start + 1;
            else this.operator(start);
          } else if (isWideIdentifierChar(c)) this.word(start);
          else s.pos = start + 1;
      }
    }
  }

  /** Scans the literal of `form` at `start` and emits it (it may span lines). */
  private literal(start: number, form: LiteralForm): void {
    const s = this.s;
    const line = s.line;
    const column = start - s.lineStart;
    const kind = scanLiteral(s, this.syntax, form);
    s.emitSpan(kind, start, line, column);
    this.afterDot = false;
  }

  /** Emits a name, a keyword, or a literal with a name-like prefix (`u8"x"`, `r#"x"#`, `b'x'`). */
  private word(start: number): void {
    const s = this.s;
    const syntax = this.syntax;
    const text = s.text;
    const end = identifierEnd(text, start + 1, s.end, syntax.identifiers);
    const next = text.charCodeAt(end);
    if ((next === 34 || next === 39 || next === 35) && (syntax.encodingPrefixes || syntax.strings === StringStyle.Rust)) {
      const line = s.line;
      const column = start - s.lineStart;
      const kind = scanPrefixedLiteral(s, syntax, start, end);
      if (kind !== 0) {
        s.emitSpan(kind, start, line, column);
        this.afterDot = false;
        return;
      }
    }
    s.pos = end;
    const entry = this.afterDot && syntax.memberAfterDot ? 0 : syntax.keywords.lookup(text, start, end);
    s.emit(keywordKind(entry, text, end, syntax.identifiers), start);
    this.afterDot = false;
  }

  private number(start: number): void {
    scanNumber(this.s, this.syntax.numbers);
    this.s.emit(TokenKind.Number, start);
    this.afterDot = false;
  }

  /** Emits the longest operator at `start`; `?.` before a digit is `?` then a number (`a ?.5 : b`). */
  private operator(start: number): void {
    const s = this.s;
    let length = this.syntax.operators.match(s.text, start);
    const isSafeCall = length === 2 && s.text.charCodeAt(start) === 63 && s.text.charCodeAt(start + 1) === 46;
    if (isSafeCall && isDigit(s.text.charCodeAt(start + 2))) length = 1;
    s.pos = start + length;
    s.emit(TokenKind.Punctuation, start);
    this.afterDot = isSafeCall && length === 2;
  }

  /** Whether only spaces and tabs precede `pos` on its line. */
  private firstOnLine(pos: number): boolean {
    const text = this.s.text;
    for (let p = pos - 1; p >= this.s.lineStart; p--) {
      const c = text.charCodeAt(p);
      if (c !== 32 && c !== 9) return false;
    }
    return true;
  }
}
