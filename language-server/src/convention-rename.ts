import type { TextEdit } from 'vscode-languageserver';

/** Languages and kinds whose declarations the rename understands well enough to be safe. */
const RENAMABLE_LANGUAGES = new Set(['typescript', 'javascript']);
const RENAMABLE_KINDS = new Set(['function', 'class', 'interface', 'type', 'enum', 'variable', 'constant']);
/** JSX mixes markup with code (attribute names look like identifiers): no rename offered there. */
const RENAMABLE_FILE = /\.(ts|mts|cts|js|mjs|cjs)$/i;

const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for function if ' +
    'import in instanceof new null return super switch this throw true try typeof var void while with yield let static ' +
    'implements interface package private protected public await async of type declare namespace module any number string ' +
    'boolean symbol object never unknown undefined'
  ).split(' '),
);

/** The words of an identifier, whatever its style: `parseHTTPResponse` → parse, http, response. */
export function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_\-$]+/)
    .filter((word) => word !== '')
    .map((word) => word.toLowerCase());
}

const capitalised = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

/** `name` spelled in a naming style, or undefined for styles a rename cannot aim at. */
export function restyle(name: string, style: string): string | undefined {
  const words = wordsOf(name);
  if (words.length === 0) return undefined;
  switch (style) {
    case 'camelCase':
      return (words[0] as string) + words.slice(1).map(capitalised).join('');
    case 'PascalCase':
      return words.map(capitalised).join('');
    case 'snake_case':
      return words.join('_');
    case 'UPPER_CASE':
      return words.join('_').toUpperCase();
    default:
      return undefined;
  }
}

/** How an identifier of each style looks, to find the declared name when the finding has no column. */
const STYLE_PATTERNS: Partial<Record<string, RegExp>> = {
  snake_case: /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g,
  camelCase: /\b[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+\b/g,
  PascalCase: /\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+\b/g,
  UPPER_CASE: /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g,
};

/** The column of the one identifier of style `actual` on the line, or undefined when there is not exactly one. */
function columnOfStyle(line: string, actual: string): number | undefined {
  const pattern = STYLE_PATTERNS[actual];
  if (!pattern) return undefined;
  const matches = [...line.matchAll(pattern)].filter((match) => !RESERVED.has(match[0]));
  return matches.length === 1 ? matches[0]?.index : undefined;
}

interface Token {
  readonly text: string;
  readonly start: number;
}

/**
 * The identifiers of JavaScript or TypeScript source outside comments and strings, or undefined
 * when a template literal interpolates code (whose identifiers this scanner would not see).
 */
function identifiers(source: string): Token[] | undefined {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const char = source[at] as string;
    if (char === '/' && source[at + 1] === '/') {
      const end = source.indexOf('\n', at);
      at = end < 0 ? source.length : end;
    } else if (char === '/' && source[at + 1] === '*') {
      const end = source.indexOf('*/', at + 2);
      at = end < 0 ? source.length : end + 2;
    } else if (char === '"' || char === "'" || char === '`') {
      let end = at + 1;
      while (end < source.length && source[end] !== char) {
        if (char === '`' && source[end] === '$' && source[end + 1] === '{') return undefined;
        end += source[end] === '\\' ? 2 : 1;
      }
      at = end + 1;
    } else if (/[A-Za-z_$]/.test(char)) {
      let end = at + 1;
      while (end < source.length && /[\w$]/.test(source[end] as string)) end++;
      tokens.push({ text: source.slice(at, end), start: at });
      at = end;
    } else {
      at++;
    }
  }
  return tokens;
}

const previousChar = (source: string, at: number): string => source.slice(0, at).trimEnd().slice(-1);
const nextChar = (source: string, at: number): string => source.slice(at).trimStart().charAt(0);

export interface RenameRequest {
  readonly file: string;
  readonly source: string;
  readonly conventionId: string;
  readonly expected: string;
  /** The style the name has now (snake_case, …). */
  readonly actual: string;
  /** 1-based line and 0-based column of the declaration's name (the column may be unknown). */
  readonly line: number;
  readonly column: number | undefined;
}

/**
 * Edits that rename a declaration to the expected style, or undefined when that cannot be done
 * safely within this file: only a module's own, unexported declaration whose every use is a
 * plain identifier (no property access, object key, shorthand, import or export), in a file with
 * no interpolated template literal, and whose new name is free.
 */
export function conventionRename(request: RenameRequest): { oldName: string; newName: string; edits: TextEdit[] } | undefined {
  const [rule, language, kind] = request.conventionId.split(':');
  if (rule !== 'naming' || !RENAMABLE_LANGUAGES.has(language ?? '') || !RENAMABLE_KINDS.has(kind ?? '')) return undefined;
  if (!RENAMABLE_FILE.test(request.file)) return undefined;
  const lines = request.source.split('\n');
  const declarationLine = lines[request.line - 1];
  if (declarationLine === undefined || /\bexport\b/.test(declarationLine)) return undefined;
  // The backend's column is where the declaration starts (`function`, `const`): the name follows it.
  const atColumn = request.column === undefined ? undefined : /^[A-Za-z_$][\w$]*/.exec(declarationLine.slice(request.column))?.[0];
  const column = atColumn !== undefined && !RESERVED.has(atColumn) ? request.column : columnOfStyle(declarationLine, request.actual);
  if (column === undefined) return undefined;
  if (!/^\s*(import|export)\b/m.test(request.source)) return undefined; // A script's top-level names are global.
  const oldName = /^[A-Za-z_$][\w$]*/.exec(declarationLine.slice(column))?.[0];
  const newName = oldName && restyle(oldName, request.expected);
  if (!oldName || !newName || newName === oldName || RESERVED.has(newName)) return undefined;
  const tokens = identifiers(request.source);
  if (!tokens || tokens.some((token) => token.text === newName)) return undefined;
  const uses = tokens.filter((token) => token.text === oldName);
  const lineStarts = [0];
  for (let at = request.source.indexOf('\n'); at >= 0; at = request.source.indexOf('\n', at + 1)) lineStarts.push(at + 1);
  const lineOf = (offset: number): number => {
    let line = 0;
    while (line + 1 < lineStarts.length && (lineStarts[line + 1] as number) <= offset) line++;
    return line;
  };
  const edits: TextEdit[] = [];
  for (const use of uses) {
    const before = previousChar(request.source, use.start);
    const after = nextChar(request.source, use.start + oldName.length);
    const line = lineOf(use.start);
    const text = lines[line] ?? '';
    if (before === '.' || /\b(import|export)\b/.test(text)) return undefined;
    if ((before === '{' || before === ',') && (after === ':' || after === ',' || after === '}')) return undefined;
    const character = use.start - (lineStarts[line] as number);
    edits.push({ range: { start: { line, character }, end: { line, character: character + oldName.length } }, newText: newName });
  }
  const declared = edits.some((edit) => edit.range.start.line === request.line - 1 && edit.range.start.character === column);
  return declared ? { oldName, newName, edits } : undefined;
}
