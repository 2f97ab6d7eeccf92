import { identifierTable } from './character-classes.js';
import { KeywordTable, words } from './keyword-table.js';
import type { NumberSyntax } from './number-scanner.js';
import { OperatorTable } from './operator-table.js';
import type { LanguageId } from './tokens.js';

/** How a C-family language's `"` literal behaves. */
export const StringStyle = {
  /** Single-line with backslash escapes (C, C++, Go). */
  Plain: 1,
  /** Plain, plus `"""` text blocks (Java). */
  TextBlock: 2,
  /** `${}` templates in single-line `"..."` and raw multi-line `"""..."""` (Kotlin). */
  Kotlin: 3,
  /** Plain, plus verbatim `@"..."`, interpolated `$"..."`, and raw `"""..."""` (C#). */
  CSharp: 4,
  /** Multi-line with escapes, plus raw `r#"..."#`, byte `b"..."` and C `c"..."` strings (Rust). */
  Rust: 5,
} as const;
export type StringStyle = (typeof StringStyle)[keyof typeof StringStyle];

/** Everything that makes one C-family language's tokens differ from another's. */
export interface CFamilySyntax {
  readonly language: LanguageId;
  readonly keywords: KeywordTable;
  readonly operators: OperatorTable;
  readonly identifiers: Uint8Array;
  readonly numbers: NumberSyntax;
  readonly strings: StringStyle;
  /** Whether block comments nest (Rust, Kotlin). */
  readonly nestedComments: boolean;
  /** Whether a `#` first on its line starts a one-token directive line (C, C++, C#). */
  readonly preprocessor: boolean;
  /** Whether `L"x"`, `u8"x"`, `R"d(x)d"` and friends are literals (C, C++). */
  readonly encodingPrefixes: boolean;
  /** Whether backquotes delimit raw strings (Go). */
  readonly backquoteStrings: boolean;
  /** Whether backquotes quote an identifier (Kotlin `` `is empty` ``). */
  readonly backquoteIdentifiers: boolean;
  /** Whether a word after `.` or `?.` is always a member name (`Foo.class` in Java); not in Rust, where `.await` is a keyword. */
  readonly memberAfterDot: boolean;
}

const CURLY_OPERATORS = words('<<= >>= ++ -- && || == != <= >= += -= *= /= %= &= |= ^= << >> ->');
const PLAIN_NUMBERS: NumberSyntax = { dotNeedsDigit: false, apostropheSeparators: false };
const DOT_NEEDS_DIGIT: NumberSyntax = { dotNeedsDigit: true, apostropheSeparators: false };
const NO_EXTRAS = {
  nestedComments: false,
  preprocessor: false,
  encodingPrefixes: false,
  backquoteStrings: false,
  backquoteIdentifiers: false,
  memberAfterDot: true,
};

const C_KEYWORDS = words(`auto break case const continue default do else enum extern for goto if inline register restrict
  return sizeof static struct switch typedef union volatile while _Alignas _Alignof _Atomic _Generic _Noreturn
  _Static_assert _Thread_local alignas alignof static_assert thread_local constexpr typeof typeof_unqual`);
const C_TYPES = words('char short int long float double void signed unsigned bool _Bool _Complex _Imaginary');
const C_VALUES = words('true false nullptr NULL');

const c: CFamilySyntax = {
  ...NO_EXTRAS,
  language: 'c',
  keywords: new KeywordTable({ keywords: C_KEYWORDS, builtinTypes: C_TYPES, values: C_VALUES }),
  operators: new OperatorTable([...CURLY_OPERATORS, '...', '##']),
  identifiers: identifierTable('$'),
  // C23 has C++'s digit separators, and .h files are often C++ headers.
  numbers: { dotNeedsDigit: false, apostropheSeparators: true },
  strings: StringStyle.Plain,
  preprocessor: true,
  encodingPrefixes: true,
};

const cpp: CFamilySyntax = {
  ...c,
  language: 'cpp',
  keywords: new KeywordTable({
    keywords: [
      ...C_KEYWORDS,
      ...words(`class namespace template typename new delete public private protected virtual override final friend
        operator try catch throw using explicit mutable noexcept decltype consteval constinit co_await co_return
        co_yield concept requires export dynamic_cast static_cast reinterpret_cast const_cast typeid and or not xor
        bitand bitor compl and_eq or_eq xor_eq not_eq`),
    ],
    builtinTypes: [...C_TYPES, ...words('wchar_t char8_t char16_t char32_t')],
    values: [...C_VALUES, 'this'],
  }),
  operators: new OperatorTable([...CURLY_OPERATORS, '...', '##', '::', '->*', '.*', '<=>']),
};

const java: CFamilySyntax = {
  ...NO_EXTRAS,
  language: 'java',
  keywords: new KeywordTable({
    keywords: words(`abstract assert break case catch class const continue default do else enum extends final finally
      for goto if implements import instanceof interface native new package private protected public return static
      strictfp super switch synchronized throw throws transient try volatile while`),
    values: words('this true false null'),
    soft: words('var yield record sealed permits when'),
    builtinTypes: words('boolean byte char short int long float double void'),
  }),
  operators: new OperatorTable([...CURLY_OPERATORS, '>>>=', '>>>', '...', '::']),
  identifiers: identifierTable('$'),
  numbers: PLAIN_NUMBERS,
  strings: StringStyle.TextBlock,
};

const csharp: CFamilySyntax = {
  ...NO_EXTRAS,
  language: 'csharp',
  keywords: new KeywordTable({
    keywords: words(`abstract as base break case catch checked class const continue default delegate do else enum event
      explicit extern finally fixed for foreach goto if implicit in interface internal is lock namespace new operator
      out override params private protected public readonly ref return sealed sizeof stackalloc static struct switch
      throw try typeof unchecked unsafe using virtual volatile while await`),
    values: words('this true false null'),
    soft: words(`var async yield partial record where when nameof from select orderby group into join let on equals
      by ascending descending global required scoped file not and or with managed unmanaged`),
    accessors: words('get set init add remove'),
    builtinTypes: words(`bool byte sbyte char decimal double float int uint long ulong short ushort object string void
      nint nuint dynamic`),
  }),
  operators: new OperatorTable([...CURLY_OPERATORS, '>>>=', '>>>', '??=', '??', '?.', '=>', '::', '..']),
  identifiers: identifierTable(''),
  numbers: DOT_NEEDS_DIGIT,
  strings: StringStyle.CSharp,
  preprocessor: true,
};

const go: CFamilySyntax = {
  ...NO_EXTRAS,
  language: 'go',
  keywords: new KeywordTable({
    keywords: words(`break case chan const continue default defer else fallthrough for func go goto if import interface
      map package range return select struct switch type var`),
    values: words('true false nil iota'),
    builtinTypes: words(`bool byte complex64 complex128 error float32 float64 int int8 int16 int32 int64 rune string
      uint uint8 uint16 uint32 uint64 uintptr any`),
  }),
  operators: new OperatorTable([...CURLY_OPERATORS, '&^=', '&^', '...', ':=', '<-']),
  identifiers: identifierTable(''),
  numbers: PLAIN_NUMBERS,
  strings: StringStyle.Plain,
  backquoteStrings: true,
};

const rust: CFamilySyntax = {
  ...NO_EXTRAS,
  language: 'rust',
  keywords: new KeywordTable({
    keywords: words(`as async await break const continue crate dyn else enum extern fn for if impl in let loop match
      mod move mut pub ref return static struct super trait type unsafe use where while yield abstract become box do
      final macro override priv typeof unsized virtual try`),
    values: words('self Self true false'),
    soft: words('union'),
    builtinTypes: words('i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize f32 f64 bool char str'),
  }),
  operators: new OperatorTable([...CURLY_OPERATORS, '...', '..=', '..', '::', '=>']),
  identifiers: identifierTable(''),
  numbers: DOT_NEEDS_DIGIT,
  strings: StringStyle.Rust,
  nestedComments: true,
  memberAfterDot: false,
};

const kotlin: CFamilySyntax = {
  ...NO_EXTRAS,
  language: 'kotlin',
  keywords: new KeywordTable({
    keywords: words(`as break class continue do else for fun if in interface is object package return super throw try
      typealias typeof val var when while catch finally import init constructor`),
    values: words('this true false null'),
    soft: words(`abstract actual annotation by companion const crossinline data delegate dynamic enum expect external
      final infix inline inner internal lateinit noinline open operator out override private protected public reified
      sealed suspend tailrec vararg value where field property receiver param setparam`),
  }),
  operators: new OperatorTable([...CURLY_OPERATORS, '===', '!==', '?:', '?.', '!!', '::', '..<', '..', '->']),
  identifiers: identifierTable(''),
  numbers: DOT_NEEDS_DIGIT,
  strings: StringStyle.Kotlin,
  nestedComments: true,
  backquoteIdentifiers: true,
};

/** The C-family languages, by id. */
export const C_FAMILY: Readonly<Partial<Record<LanguageId, CFamilySyntax>>> = { c, cpp, java, csharp, go, rust, kotlin };
