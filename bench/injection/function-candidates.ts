import ts from 'typescript';
import { scanTokens } from '../tokens/token-scanner.js';

/** The shortest function worth planting, in tokens and in lines (the thresholds). */
export const MIN_FUNCTION_TOKENS = 60;
export const MIN_FUNCTION_LINES = 6;

// Functions with longer lines are generated or half-minified; they are not what people copy.
const MAX_LINE_LENGTH = 200;

/**
 * How the copy must be wrapped to stand on its own: a declaration as it is, a class member inside
 * a class, a function expression or arrow function assigned to a constant.
 */
export type FunctionShape = 'declaration' | 'member' | 'expression';

/** A real function of the corpus that may be copied. */
export interface FunctionCandidate {
  /** Corpus path of the file holding it. */
  readonly file: string;
  readonly start: number;
  readonly end: number;
  readonly startLine: number;
  readonly endLine: number;
  readonly tokens: number;
  readonly shape: FunctionShape;
}

export function scriptKindFor(path: string): ts.ScriptKind {
  if (/\.tsx$/i.test(path)) return ts.ScriptKind.TSX;
  if (/\.[cm]?ts$/i.test(path)) return ts.ScriptKind.TS;
  if (/\.jsx$/i.test(path)) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

export function parseSource(path: string, text: string): ts.SourceFile {
  return ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, scriptKindFor(path));
}

/** Whether the parser had to recover from syntax errors (Flow annotations in .js, for instance). */
export function hasSyntaxErrors(sourceFile: ts.SourceFile): boolean {
  const diagnostics = (sourceFile as unknown as { parseDiagnostics?: readonly unknown[] }).parseDiagnostics;
  return diagnostics !== undefined && diagnostics.length > 0;
}

function shapeOf(node: ts.Node): FunctionShape | undefined {
  if (ts.isFunctionDeclaration(node)) return node.body && node.name ? 'declaration' : undefined;
  if (
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  ) {
    return node.body && ts.isClassLike(node.parent) ? 'member' : undefined;
  }
  if (ts.isFunctionExpression(node) || (ts.isArrowFunction(node) && ts.isBlock(node.body))) return 'expression';
  return undefined;
}

function containsJsx(node: ts.Node): boolean {
  let found = false;
  const visit = (child: ts.Node): void => {
    if (found) return;
    if (ts.isJsxElement(child) || ts.isJsxSelfClosingElement(child) || ts.isJsxFragment(child)) found = true;
    else ts.forEachChild(child, visit);
  };
  visit(node);
  return found;
}

/**
 * Every function, method, constructor, accessor, function expression and block-bodied arrow
 * function of a file with at least {@link MIN_FUNCTION_TOKENS} tokens and
 * {@link MIN_FUNCTION_LINES} lines, without JSX and without overlong lines.
 */
export function findCandidates(file: string, sourceFile: ts.SourceFile): FunctionCandidate[] {
  const candidates: FunctionCandidate[] = [];
  const text = sourceFile.text;
  const visit = (node: ts.Node): void => {
    const shape = shapeOf(node);
    if (shape !== undefined) {
      const start = node.getStart(sourceFile);
      const end = node.end;
      const startLine = sourceFile.getLineAndCharacterOfPosition(start).line + 1;
      const endLine = sourceFile.getLineAndCharacterOfPosition(end).line + 1;
      const body = text.slice(start, end);
      if (
        endLine - startLine + 1 >= MIN_FUNCTION_LINES &&
        body.split('\n').every((line) => line.length <= MAX_LINE_LENGTH) &&
        !containsJsx(node)
      ) {
        const tokens = scanTokens(body).length;
        if (tokens >= MIN_FUNCTION_TOKENS) candidates.push({ file, start, end, startLine, endLine, tokens, shape });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return candidates;
}

/** The function node a candidate points at, found again in a fresh parse of its file. */
export function candidateNode(sourceFile: ts.SourceFile, candidate: FunctionCandidate): ts.FunctionLikeDeclaration | undefined {
  let found: ts.FunctionLikeDeclaration | undefined;
  const visit = (node: ts.Node): void => {
    if (found || node.end < candidate.start || node.pos > candidate.end) return;
    if (shapeOf(node) !== undefined && node.getStart(sourceFile) === candidate.start && node.end === candidate.end) {
      found = node as ts.FunctionLikeDeclaration;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/** Lines long and particular enough to tell a function apart; a function needs two of them. */
export function signatureLines(functionText: string): string[] {
  const lines = [...new Set(functionText.split('\n').map((line) => line.trim()))].filter((line) => line.length >= 24);
  return lines.sort((a, b) => b.length - a.length || (a < b ? -1 : 1)).slice(0, 5);
}
