import ts from 'typescript';
import { isPlainIdentifier } from '../tokens/token-scanner.js';
import type { SeededRandom } from './seeded-random.js';
import type { TextEdit } from './text-edits.js';
import type { NameMaker } from './word-list.js';

/** The Type-2 changes made to one function: the edits and what they did. */
export interface RenamePlan {
  readonly edits: TextEdit[];
  /** Old name → new name for locals, parameters and the function's own name. */
  readonly renamed: ReadonlyMap<string, string>;
  readonly typesRenamed: number;
  readonly literalsChanged: number;
}

function bindingNames(name: ts.BindingName, into: Set<string>, unsafe: Set<string>): void {
  if (ts.isIdentifier(name)) {
    into.add(name.text);
    return;
  }
  for (const element of name.elements) {
    if (ts.isOmittedExpression(element)) continue;
    // `const { a } = o` binds `a` from property `a`: renaming it would need `{ a: b }`, more tokens.
    if (ts.isObjectBindingPattern(name) && element.propertyName === undefined && ts.isIdentifier(element.name))
      unsafe.add(element.name.text);
    bindingNames(element.name, into, unsafe);
  }
}

/** Whether an identifier names a property, label or import rather than a local binding. */
function isPropertyPosition(id: ts.Identifier): boolean {
  const parent = id.parent;
  if (
    (ts.isPropertyAccessExpression(parent) || ts.isQualifiedName(parent)) &&
    (ts.isPropertyAccessExpression(parent) ? parent.name : parent.right) === id
  ) {
    return true;
  }
  if (
    (ts.isPropertyAssignment(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isGetAccessorDeclaration(parent) ||
      ts.isSetAccessorDeclaration(parent) ||
      ts.isPropertySignature(parent) ||
      ts.isMethodSignature(parent) ||
      ts.isEnumMember(parent)) &&
    parent.name === id
  ) {
    return true;
  }
  if (ts.isBindingElement(parent) && parent.propertyName === id) return true;
  if (ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent) || ts.isMetaProperty(parent)) return true;
  if (ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent) || ts.isTypeReferenceNode(parent)) return true;
  return false;
}

function isDirective(literal: ts.StringLiteral): boolean {
  return ts.isExpressionStatement(literal.parent) && /^use /.test(literal.text);
}

function isModuleSpecifier(literal: ts.Node): boolean {
  const parent = literal.parent;
  return (
    ts.isImportDeclaration(parent) ||
    ts.isExportDeclaration(parent) ||
    ts.isExternalModuleReference(parent) ||
    (ts.isLiteralTypeNode(parent) && ts.isImportTypeNode(parent.parent))
  );
}

function changedNumber(text: string, random: SeededRandom): string {
  const value = Number(text.replace(/_/g, ''));
  if (!Number.isFinite(value) || !/^[\d._]+(e[+-]?\d+)?$/i.test(text)) return String(random.int(2, 99));
  return String(Number.isInteger(value) ? value + random.int(1, 9) : Math.round(value * 1000 + random.int(1, 9)) / 1000);
}

/**
 * Plans the Type-2 changes of a function: its locals, parameters and own name are renamed
 * consistently, most of its string and number literals get new values, and (in TypeScript) most
 * type names it references are renamed. Property names, labels and imports are left alone, and
 * so is any name that appears in shorthand form (`{ a }`), because renaming it would add tokens.
 */
export function planRenames(
  node: ts.FunctionLikeDeclaration,
  sourceFile: ts.SourceFile,
  random: SeededRandom,
  names: NameMaker,
): RenamePlan {
  const declared = new Set<string>();
  const unsafe = new Set<string>(['arguments', 'undefined']);
  const typeNames = new Set<string>();
  const literals: (ts.StringLiteral | ts.NumericLiteral | ts.NoSubstitutionTemplateLiteral)[] = [];
  const identifiers: ts.Identifier[] = [];
  const ownName = node.name !== undefined && ts.isIdentifier(node.name) ? node.name : undefined;
  if (ownName && !ts.isConstructorDeclaration(node)) declared.add(ownName.text);

  const visit = (child: ts.Node): void => {
    if (ts.isParameter(child) || ts.isVariableDeclaration(child)) bindingNames(child.name, declared, unsafe);
    if ((ts.isFunctionDeclaration(child) || ts.isClassDeclaration(child) || ts.isFunctionExpression(child)) && child.name)
      declared.add(child.name.text);
    if (ts.isShorthandPropertyAssignment(child)) unsafe.add(child.name.text);
    if (ts.isTypeReferenceNode(child) && ts.isIdentifier(child.typeName) && isPlainIdentifier(child.typeName.text))
      typeNames.add(child.typeName.text);
    if (
      (ts.isStringLiteral(child) && !isDirective(child) && !isModuleSpecifier(child)) ||
      ts.isNumericLiteral(child) ||
      ts.isNoSubstitutionTemplateLiteral(child)
    ) {
      literals.push(child);
    }
    if (ts.isIdentifier(child)) identifiers.push(child);
    ts.forEachChild(child, visit);
  };
  visit(node);

  const renamed = new Map<string, string>();
  for (const name of [...declared].sort()) {
    if (!unsafe.has(name) && isPlainIdentifier(name)) renamed.set(name, names.fresh(/^[A-Z]/.test(name)));
  }
  const typeRenames = new Map<string, string>();
  for (const name of [...typeNames].sort()) {
    if (!renamed.has(name) && random.chance(0.8)) typeRenames.set(name, names.fresh(true));
  }

  const edits: TextEdit[] = [];
  for (const id of identifiers) {
    const start = id.getStart(sourceFile);
    if (id === ownName && renamed.has(id.text)) {
      edits.push({ start, end: id.end, text: renamed.get(id.text)! });
    } else if (ts.isTypeReferenceNode(id.parent) && typeRenames.has(id.text)) {
      edits.push({ start, end: id.end, text: typeRenames.get(id.text)! });
    } else if (renamed.has(id.text) && !isPropertyPosition(id)) {
      edits.push({ start, end: id.end, text: renamed.get(id.text)! });
    }
  }
  const toChange = literals.filter(() => random.chance(0.7));
  if (toChange.length === 0 && literals.length > 0) toChange.push(random.pick(literals));
  for (const literal of toChange) {
    const start = literal.getStart(sourceFile);
    const old = sourceFile.text.slice(start, literal.end);
    let text: string;
    if (ts.isNumericLiteral(literal)) text = changedNumber(old, random);
    else if (ts.isNoSubstitutionTemplateLiteral(literal)) text = `\`${names.phrase()}\``;
    else text = `${old.charAt(0)}${names.phrase()}${old.charAt(0)}`;
    if (text !== old) edits.push({ start, end: literal.end, text });
  }
  return { edits, renamed, typesRenamed: typeRenames.size, literalsChanged: toChange.length };
}
