import ts from 'typescript';

/** One lexical token of JavaScript or TypeScript source, with its offsets in the scanned text. */
export interface SourceToken {
  readonly kind: ts.SyntaxKind;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const LITERAL_KINDS = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.NumericLiteral,
  ts.SyntaxKind.BigIntLiteral,
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.RegularExpressionLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
]);

// After these a `/` is a division; anywhere else it opens a regular expression. This is the usual
// lexer-only approximation (the parser knows better, but a scanner has no parser behind it).
const ENDS_OPERAND = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.Identifier,
  ts.SyntaxKind.PrivateIdentifier,
  ts.SyntaxKind.CloseParenToken,
  ts.SyntaxKind.CloseBracketToken,
  ts.SyntaxKind.CloseBraceToken,
  ts.SyntaxKind.PlusPlusToken,
  ts.SyntaxKind.MinusMinusToken,
  ts.SyntaxKind.ThisKeyword,
  ts.SyntaxKind.SuperKeyword,
  ts.SyntaxKind.TrueKeyword,
  ts.SyntaxKind.FalseKeyword,
  ts.SyntaxKind.NullKeyword,
  ts.SyntaxKind.TemplateTail,
  ...LITERAL_KINDS,
]);

/**
 * Whether a token is a contextual keyword (`type`, `of`, `get`, …), which code may also use as a
 * name. TypeScript keeps them in one run of its SyntaxKind enum, from `abstract` to `of` (its
 * internal First/LastContextualKeyword markers).
 */
export function isContextualKeyword(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.AbstractKeyword && kind <= ts.SyntaxKind.OfKeyword;
}

function endsOperand(kind: ts.SyntaxKind | undefined): boolean {
  return kind !== undefined && (ENDS_OPERAND.has(kind) || isContextualKeyword(kind));
}

/**
 * Scans source text into tokens with TypeScript's own scanner, skipping whitespace and comments.
 * The scanner alone cannot tell a regular expression from a division or see where a template
 * substitution ends, so this loop re-scans those tokens the way the parser would ask it to.
 */
export function scanTokens(text: string): SourceToken[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  const tokens: SourceToken[] = [];
  // Open braces inside each template substitution we are in, innermost last.
  const templateBraces: number[] = [];
  let previous: ts.SyntaxKind | undefined;
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if ((kind === ts.SyntaxKind.SlashToken || kind === ts.SyntaxKind.SlashEqualsToken) && !endsOperand(previous)) {
      kind = scanner.reScanSlashToken();
    } else if (kind === ts.SyntaxKind.GreaterThanToken) {
      kind = scanner.reScanGreaterToken();
    } else if (kind === ts.SyntaxKind.OpenBraceToken && templateBraces.length > 0) {
      templateBraces[templateBraces.length - 1]! += 1;
    } else if (kind === ts.SyntaxKind.CloseBraceToken && templateBraces.length > 0) {
      if (templateBraces[templateBraces.length - 1] === 0) {
        kind = scanner.reScanTemplateToken(false);
        if (kind === ts.SyntaxKind.TemplateTail) templateBraces.pop();
      } else {
        templateBraces[templateBraces.length - 1]! -= 1;
      }
    }
    if (kind === ts.SyntaxKind.TemplateHead) templateBraces.push(0);
    tokens.push({ kind, text: scanner.getTokenText(), start: scanner.getTokenStart(), end: scanner.getTokenEnd() });
    previous = kind;
  }
  return tokens;
}

/**
 * The token as a clone detector that ignores names and values sees it: every identifier (and
 * contextual keyword used as one) becomes `$id`, every literal `$lit`; keywords and punctuation
 * keep their text. Template pieces keep their role so a template's structure still counts.
 */
export function normalizedToken(token: SourceToken): string {
  if (token.kind === ts.SyntaxKind.Identifier || token.kind === ts.SyntaxKind.PrivateIdentifier || isContextualKeyword(token.kind)) {
    return '$id';
  }
  if (LITERAL_KINDS.has(token.kind)) return '$lit';
  if (token.kind === ts.SyntaxKind.TemplateHead) return '$tpl{';
  if (token.kind === ts.SyntaxKind.TemplateMiddle) return '}$tpl{';
  if (token.kind === ts.SyntaxKind.TemplateTail) return '}$tpl';
  return token.text;
}

/** Normalised token strings of a piece of source (see {@link normalizedToken}). */
export function normalizedTokens(text: string): string[] {
  return scanTokens(text).map(normalizedToken);
}

/** Whether a name scans as a plain identifier (so renaming it, or to it, changes no keyword). */
export function isPlainIdentifier(name: string): boolean {
  const tokens = scanTokens(name);
  return tokens.length === 1 && tokens[0]!.kind === ts.SyntaxKind.Identifier && tokens[0]!.text === name;
}
