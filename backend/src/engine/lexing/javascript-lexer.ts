import {
  IDENTIFIER_PART,
  IDENTIFIER_START,
  identifierEnd,
  identifierTable,
  isIdentifierStart,
  isWideIdentifierChar,
} from './character-classes.js';
import { ContextStack, JsContext } from './javascript-contexts.js';
import { scanJsxChildren, scanJsxTag, type JsxHost } from './jsx-scanner.js';
import { KeywordTable, VALUE, keywordKind, words } from './keyword-table.js';
import { scanNumber, type NumberSyntax } from './number-scanner.js';
import { OperatorTable } from './operator-table.js';
import { Scanner } from './scanner.js';
import { TokenKind, type LanguageId, type LexedFile } from './tokens.js';

const IDENTIFIERS = identifierTable('$');
const NUMBERS: NumberSyntax = { dotNeedsDigit: true, apostropheSeparators: false };
const OPERATORS = new OperatorTable(
  words(`>>>= ... === !== **= <<= >>= >>> &&= ||= ??= => == != <= >= && || ?? ++ -- += -= *= /= %= &= |= ^= << >> **`),
);

const javascriptWords = {
  keywords: words(`break case catch class const continue debugger default delete do else enum export extends finally for
    function if import in instanceof let new return static switch throw try typeof var void while with yield await
    implements interface private protected public`),
  values: words('this super null true false'),
  soft: words('of get set from as package'),
  softBeforeParen: ['async'],
};
const JAVASCRIPT_KEYWORDS = new KeywordTable(javascriptWords);
const TYPESCRIPT_KEYWORDS = new KeywordTable({
  ...javascriptWords,
  soft: [
    ...javascriptWords.soft,
    ...words('type namespace module declare abstract readonly keyof infer is asserts satisfies override accessor unique'),
  ],
  builtinTypes: words('any boolean bigint never number object string symbol unknown'),
});

/**
 * Lexes JavaScript or TypeScript, with JSX when `jsx` is set (.jsx, .tsx and, by convention,
 * .js files; never .ts, where `<T>x` is a type assertion).
 */
export function lexJavaScript(text: string, language: LanguageId, jsx: boolean): LexedFile {
  const keywords = language === 'typescript' ? TYPESCRIPT_KEYWORDS : JAVASCRIPT_KEYWORDS;
  return new JavaScriptLexer(text, keywords, jsx).run(language);
}

/**
 * The JavaScript scanner. A `/` starts a regular expression or divides depending on the previous
 * significant token (`regexAllowed`); a word after `.` or `?.` is a property name, never a
 * keyword (`promise.catch`). Template literals are emitted as String chunks, `` `a${ ``,
 * `}b${` and `` }c` ``, with the hole's expressions as ordinary tokens between them.
 */
class JavaScriptLexer implements JsxHost {
  readonly s: Scanner;
  readonly contexts = new ContextStack();
  braceDepth = 0;
  regexAllowed = true;
  private afterDot = false;

  constructor(
    text: string,
    private readonly keywords: KeywordTable,
    private readonly jsx: boolean,
  ) {
    this.s = new Scanner(text);
  }

  run(language: LanguageId): LexedFile {
    const s = this.s;
    if (s.text.charCodeAt(s.pos) === 35 && s.text.charCodeAt(s.pos + 1) === 33) s.skipToLineEnd();
    while (s.pos < s.end) {
      const mode = this.contexts.top();
      if (mode === JsContext.JsxTag || mode === JsContext.JsxClosingTag) scanJsxTag(this);
      else if (mode === JsContext.JsxChildren) scanJsxChildren(this);
      else this.scanCode();
    }
    return s.finish(language);
  }

  /** Scans code until the end of the text or until a JSX tag or JSX children take over. */
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
        case 47: {
          const next = text.charCodeAt(start + 1);
          if (next === 47) s.skipToLineEnd();
          else if (next === 42) s.skipBlockComment(false);
          else if (this.regexAllowed) this.scanRegex(start);
          else this.operator(start, c);
          continue;
        }
        case 34:
        case 39: {
          const line = s.line;
          const column = start - s.lineStart;
          s.pos = start + 1;
          s.scanQuoted(c, false);
          s.emitSpan(TokenKind.String, start, line, column);
          this.value();
          continue;
        }
        case 96:
          s.pos = start + 1;
          this.scanTemplateChunk(start, s.line, start - s.lineStart);
          continue;
        case 123:
          this.braceDepth++;
          this.punctuation(start, 1, true);
          continue;
        case 125:
          if (this.contexts.topDepth() === this.braceDepth) {
            s.pos = start + 1;
            if (this.contexts.pop() === JsContext.TemplateHole) {
              this.scanTemplateChunk(start, s.line, start - s.lineStart);
              continue;
            }
            s.emit(TokenKind.Punctuation, start);
            this.value();
            return;
          }
          if (this.braceDepth > 0) this.braceDepth--;
          this.punctuation(start, 1, true);
          continue;
        case 41:
        case 93:
          this.punctuation(start, 1, false);
          continue;
        case 46: {
          const next = text.charCodeAt(start + 1);
          if (next >= 48 && next <= 57) this.number();
          else {
            const length = OPERATORS.match(text, start);
            this.punctuation(start, length, true);
            this.afterDot = length === 1;
          }
          continue;
        }
        case 63:
          if (text.charCodeAt(start + 1) === 46 && !(text.charCodeAt(start + 2) >= 48 && text.charCodeAt(start + 2) <= 57)) {
            this.punctuation(start, 2, true);
            this.afterDot = true;
          } else this.operator(start, c);
          continue;
        case 60:
          if (this.jsx && this.regexAllowed) {
            const next = text.charCodeAt(start + 1);
            if (next === 62 || isIdentifierStart(IDENTIFIERS, next)) {
              this.openJsx(start, next === 62);
              return;
            }
          }
          this.operator(start, c);
          continue;
        case 35:
          if (isIdentifierStart(IDENTIFIERS, text.charCodeAt(start + 1))) {
            s.pos = identifierEnd(text, start + 1, end, IDENTIFIERS);
            s.emit(TokenKind.Identifier, start);
            this.value();
          } else this.punctuation(start, 1, true);
          continue;
        default:
          if (c < 128) {
            const flags = IDENTIFIERS[c]!;
            if ((flags & IDENTIFIER_START) !== 0) this.word(start);
            else if ((flags & IDENTIFIER_PART) !== 0) this.number();
            else if (c < 32 || c === 127) s.pos = start + 1;
            else this.operator(start, c);
          } else if (isWideIdentifierChar(c)) this.word(start);
          else s.pos = start + 1;
      }
    }
  }

  /** Emits an identifier or keyword starting at `start`. */
  private word(start: number): void {
    const s = this.s;
    const text = s.text;
    const end = identifierEnd(text, start + 1, s.end, IDENTIFIERS);
    s.pos = end;
    const entry = this.afterDot ? 0 : this.keywords.lookup(text, start, end);
    const kind = keywordKind(entry, text, end, IDENTIFIERS);
    s.emit(kind, start);
    this.regexAllowed = kind === TokenKind.Keyword && (entry & VALUE) === 0;
    this.afterDot = false;
  }

  private number(): void {
    const start = this.s.pos;
    scanNumber(this.s, NUMBERS);
    this.s.emit(TokenKind.Number, start);
    this.value();
  }

  /** Emits the longest operator at `start`; a `/` reaching here divides. */
  private operator(start: number, c: number): void {
    const length = OPERATORS.match(this.s.text, start);
    // `x++ / 2` divides; after every other operator an operand (and so a regex) may follow.
    const postfix = length === 2 && (c === 43 || c === 45) && this.s.text.charCodeAt(start + 1) === c;
    this.punctuation(start, length, !postfix);
  }

  private punctuation(start: number, length: number, regexAfter: boolean): void {
    this.s.pos = start + length;
    this.s.emit(TokenKind.Punctuation, start);
    this.regexAllowed = regexAfter;
    this.afterDot = false;
  }

  /** Records that the last token ended an operand: a `/` after it divides. */
  private value(): void {
    this.regexAllowed = false;
    this.afterDot = false;
  }

  /**
   * Scans a regular expression literal with `pos` on its `/`: escapes, and `/` inside a `[...]`
   * class, don't end it; flags follow. Unterminated, it ends at the end of the line.
   */
  private scanRegex(start: number): void {
    const s = this.s;
    const text = s.text;
    const end = s.end;
    let p = start + 1;
    let inClass = false;
    while (p < end) {
      const c = text.charCodeAt(p);
      if (c === 10 || c === 13) break;
      if (c === 92) {
        const next = text.charCodeAt(p + 1);
        if (next === 10 || next === 13) {
          p++;
          break;
        }
        p += 2;
        continue;
      }
      p++;
      if (c === 91) inClass = true;
      else if (c === 93) inClass = false;
      else if (c === 47 && !inClass) {
        p = identifierEnd(text, p, end, IDENTIFIERS);
        break;
      }
    }
    s.pos = p > end ? end : p;
    s.emit(TokenKind.Regex, start);
    this.value();
  }

  /**
   * Scans one chunk of a template literal, with `pos` just past its opening `` ` `` or the `}`
   * closing a hole, and emits it as a String from `start`. At `${` it pushes a hole and returns
   * to code; at the closing backquote the template is done. Unterminated, it runs to the end.
   */
  private scanTemplateChunk(start: number, line: number, column: number): void {
    const s = this.s;
    const text = s.text;
    const end = s.end;
    while (s.pos < end) {
      const p = s.pos;
      const c = text.charCodeAt(p);
      if (c === 96) {
        s.pos = p + 1;
        break;
      }
      if (c === 36 && text.charCodeAt(p + 1) === 123) {
        s.pos = p + 2;
        s.emitSpan(TokenKind.String, start, line, column);
        this.contexts.push(JsContext.TemplateHole, this.braceDepth);
        this.regexAllowed = true;
        this.afterDot = false;
        return;
      }
      if (c === 10 || c === 13) s.breakLine();
      else if (c === 92) {
        const next = text.charCodeAt(p + 1);
        s.pos = next === 10 || next === 13 || p + 1 >= end ? p + 1 : p + 2;
      } else s.pos = p + 1;
    }
    s.emitSpan(TokenKind.String, start, line, column);
    this.value();
  }

  /** Emits the `<` (and `>` of a fragment) that opens a JSX element and enters it. */
  private openJsx(start: number, fragment: boolean): void {
    const s = this.s;
    s.pos = start + 1;
    s.emit(TokenKind.Punctuation, start);
    if (fragment) {
      s.pos = start + 2;
      s.emit(TokenKind.Punctuation, start + 1);
      this.contexts.push(JsContext.JsxChildren, this.braceDepth);
    } else this.contexts.push(JsContext.JsxTag, this.braceDepth);
    this.afterDot = false;
  }
}
