import ts from 'typescript';
import { scanTokens } from '../tokens/token-scanner.js';
import type { SeededRandom } from './seeded-random.js';
import type { TextEdit } from './text-edits.js';
import type { NameMaker } from './word-list.js';

/** A Type-3 change: a new statement, a deleted one, or one modified in place. */
export type StatementEditKind = 'insert' | 'delete' | 'modify';

/** Statement edits of one attempt, plus the ranges they delete (leaf edits inside those are dropped). */
export interface StatementEditPlan {
  readonly edits: TextEdit[];
  readonly deleted: { start: number; end: number }[];
  readonly applied: string[];
}

const OPERATOR_SWAPS: ReadonlyMap<ts.SyntaxKind, string> = new Map([
  [ts.SyntaxKind.PlusToken, '-'],
  [ts.SyntaxKind.MinusToken, '+'],
  [ts.SyntaxKind.AsteriskToken, '/'],
  [ts.SyntaxKind.EqualsEqualsEqualsToken, '!=='],
  [ts.SyntaxKind.ExclamationEqualsEqualsToken, '==='],
  [ts.SyntaxKind.EqualsEqualsToken, '!='],
  [ts.SyntaxKind.ExclamationEqualsToken, '=='],
  [ts.SyntaxKind.LessThanToken, '<='],
  [ts.SyntaxKind.GreaterThanToken, '>='],
  [ts.SyntaxKind.LessThanEqualsToken, '<'],
  [ts.SyntaxKind.GreaterThanEqualsToken, '>'],
  [ts.SyntaxKind.AmpersandAmpersandToken, '||'],
  [ts.SyntaxKind.BarBarToken, '&&'],
]);

interface StatementInfo {
  readonly node: ts.Statement;
  readonly start: number;
  readonly tokens: number;
  /** Offset of the start of the statement's line, when the statement is the first thing on it. */
  readonly lineStart: number | undefined;
  readonly indent: string;
}

function statementsOf(fn: ts.FunctionLikeDeclaration, sourceFile: ts.SourceFile): StatementInfo[] {
  const text = sourceFile.text;
  const found: StatementInfo[] = [];
  const visit = (node: ts.Node): void => {
    if (node !== fn && ts.isFunctionLike(node)) return;
    if (ts.isBlock(node) || ts.isCaseClause(node) || ts.isDefaultClause(node)) {
      for (const statement of node.statements) {
        const start = statement.getStart(sourceFile);
        const lineStart = text.lastIndexOf('\n', start - 1) + 1;
        const before = text.slice(lineStart, start);
        found.push({
          node: statement,
          start,
          tokens: scanTokens(text.slice(start, statement.end)).length,
          lineStart: /^[ \t]*$/.test(before) ? lineStart : undefined,
          indent: /^[ \t]*/.exec(before)![0],
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}

function deletionRange(info: StatementInfo, text: string): { start: number; end: number } {
  const lineEnd = text.indexOf('\n', info.node.end);
  const rest = text.slice(info.node.end, lineEnd < 0 ? text.length : lineEnd);
  if (info.lineStart !== undefined && /^[ \t]*$/.test(rest) && lineEnd >= 0) return { start: info.lineStart, end: lineEnd + 1 };
  return { start: info.start, end: info.node.end };
}

function newStatement(random: SeededRandom, names: NameMaker, local: string, indent: string): string {
  const number = random.int(2, 64);
  switch (random.int(0, 3)) {
    case 0:
      return `const ${names.fresh()} = ${local} === undefined ? ${number} : ${local};`;
    case 1:
      return `if (${local} === null) {\n${indent}  return '${names.phrase()}';\n${indent}}`;
    case 2:
      return `console.warn('${names.phrase()}', ${local});`;
    default:
      return `let ${names.fresh()} = [${local}, ${number}, '${names.phrase()}'].length;`;
  }
}

function modification(info: StatementInfo, sourceFile: ts.SourceFile, random: SeededRandom, names: NameMaker): TextEdit[] | undefined {
  const options: (() => TextEdit[])[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isBinaryExpression(node) && OPERATOR_SWAPS.has(node.operatorToken.kind)) {
      const op = node.operatorToken;
      options.push(() => [{ start: op.getStart(sourceFile), end: op.end, text: OPERATOR_SWAPS.get(op.kind)! }]);
    }
    if (ts.isCallExpression(node)) {
      const args = node.arguments;
      const added = `'${names.phrase()}'`;
      const text = args.hasTrailingComma ? ` ${added},` : args.length > 0 ? `, ${added}` : added;
      options.push(() => [{ start: args.end, end: args.end, text }]);
    }
    if (ts.isVariableDeclaration(node) && node.initializer) {
      const init = node.initializer;
      options.push(() => [
        { start: init.getStart(sourceFile), end: init.getStart(sourceFile), text: '(' },
        { start: init.end, end: init.end, text: `) || ${random.int(1, 9)}` },
      ]);
    }
    ts.forEachChild(node, visit);
  };
  visit(info.node);
  return options.length === 0 ? undefined : random.pick(options)();
}

/**
 * Plans the statement edits of one Type-3 attempt: `kinds` says which (each at most once), each
 * on its own statement so no two edits touch each other. Inserted statements use `local`, a
 * (renamed) local of the function, so they read as part of it.
 */
export function planStatementEdits(
  fn: ts.FunctionLikeDeclaration,
  sourceFile: ts.SourceFile,
  kinds: readonly StatementEditKind[],
  local: string,
  random: SeededRandom,
  names: NameMaker,
  functionTokens: number,
): StatementEditPlan | undefined {
  const statements = statementsOf(fn, sourceFile);
  const used: { start: number; end: number }[] = [];
  const free = (info: StatementInfo): boolean => used.every((range) => info.node.end <= range.start || info.start >= range.end);
  const edits: TextEdit[] = [];
  const deleted: { start: number; end: number }[] = [];
  const applied: string[] = [];
  for (const kind of kinds) {
    const pool = random.shuffle(statements.filter(free));
    let done = false;
    for (const info of pool) {
      if (kind === 'delete') {
        const topLevel = fn.body !== undefined && ts.isBlock(fn.body) && info.node.parent === fn.body;
        if (info.tokens < 3 || info.tokens > Math.max(10, functionTokens * 0.3) || (topLevel && fn.body.statements.length < 2)) continue;
        const range = deletionRange(info, sourceFile.text);
        deleted.push(range);
        edits.push({ ...range, text: '' });
      } else if (kind === 'insert') {
        if (info.lineStart === undefined) continue;
        edits.push({
          start: info.lineStart,
          end: info.lineStart,
          text: `${info.indent}${newStatement(random, names, local, info.indent)}\n`,
        });
      } else {
        const change = modification(info, sourceFile, random, names);
        if (change === undefined) continue;
        edits.push(...change);
      }
      used.push({ start: info.start, end: info.node.end });
      applied.push(`${kind} at line ${sourceFile.getLineAndCharacterOfPosition(info.start).line + 1}`);
      done = true;
      break;
    }
    if (!done) return undefined;
  }
  return { edits, deleted, applied };
}
