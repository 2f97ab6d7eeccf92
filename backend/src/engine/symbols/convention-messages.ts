import type { LanguageId } from '../lexing/tokens.js';
import type { Convention } from './conventions.js';
import {
  FAMILY_NAMES,
  LANGUAGE_NAMES,
  TEST_FOLDERS,
  fileNameOf,
  folderOf,
  type ComponentLocation,
  type LanguageFamily,
  type TestLocation,
} from './file-roles.js';
import type { SymbolInfo, SymbolKind } from './symbol-types.js';

/** Singular and plural nouns for each symbol kind, as a message names them. */
const KIND_NOUNS: Readonly<Record<SymbolKind, readonly [string, string]>> = {
  function: ['Function', 'functions'],
  method: ['Method', 'methods'],
  class: ['Class', 'classes'],
  interface: ['Interface', 'interfaces'],
  type: ['Type alias', 'type aliases'],
  enum: ['Enum', 'enums'],
  struct: ['Struct', 'structs'],
  trait: ['Trait', 'traits'],
  module: ['Module', 'modules'],
  variable: ['Variable', 'variables'],
  constant: ['Constant', 'constants'],
};

function evidence(convention: Convention): string {
  return `${convention.count} of ${convention.total}`;
}

function percent(convention: Convention): string {
  return `${Math.floor((convention.count / convention.total) * 100)}%`;
}

/** "Function `get_user` is snake_case, but 303 of 312 functions (97%) in this codebase's TypeScript are camelCase." */
export function namingMessage(symbol: SymbolInfo, language: LanguageId, actual: string, convention: Convention): string {
  const [noun, plural] = KIND_NOUNS[symbol.kind];
  const goNote = language === 'go' ? ' (PascalCase when exported)' : '';
  return (
    `${noun} \`${symbol.name}\` is ${actual}, but ${evidence(convention)} ${plural} (${percent(convention)}) ` +
    `in this codebase's ${LANGUAGE_NAMES[language]} are ${convention.expected}${goNote}. Rename it to match.`
  );
}

/** "File `UserCard.tsx` is PascalCase, but 18 of 19 TypeScript/JavaScript files (94%) in `src/components/` are kebab-case." */
export function fileNamingMessage(path: string, actual: string, convention: Convention): string {
  const scope = convention.scope;
  const family = 'family' in scope ? FAMILY_NAMES[scope.family] : '';
  const where = 'folder' in scope ? (scope.folder === '' ? 'at the project root' : `in \`${scope.folder}/\``) : 'in this codebase';
  return (
    `File name \`${fileNameOf(path)}\` is ${actual}, but ${evidence(convention)} ${family} files (${percent(convention)}) ` +
    `${where} are named in ${convention.expected}. Rename the file to match.`
  );
}

/** Test files under `test/` in a codebase that keeps them next to the code, or the other way round. */
export function testLocationMessage(path: string, family: LanguageFamily, actual: TestLocation, convention: Convention): string {
  const folders = TEST_FOLDERS.slice(0, 5)
    .map((folder) => `${folder}/`)
    .join(', ');
  const here = actual === 'colocated' ? `sits next to the code it tests (in \`${folderOf(path) || '.'}/\`)` : 'lives under a test folder';
  const there = convention.expected === 'colocated' ? 'sit next to the code they test' : `live under a test folder (${folders})`;
  return `Test file \`${path}\` ${here}, but ${evidence(convention)} ${FAMILY_NAMES[family]} test files (${percent(convention)}) in this codebase ${there}. Move it to match.`;
}

export interface ComponentLesson {
  readonly path: string;
  readonly name: string;
  readonly actual: ComponentLocation;
}

/** React components outside `components/` in a codebase that keeps them there, or the other way round. */
export function componentLocationMessage(lesson: ComponentLesson, convention: Convention): string {
  const here = lesson.actual === 'components-folder' ? 'lives under a `components/` folder' : 'lives outside any `components/` folder';
  const there = convention.expected === 'components-folder' ? 'live under a `components/` folder' : 'live outside `components/` folders';
  return `Component \`${lesson.name}\` (\`${lesson.path}\`) ${here}, but ${evidence(convention)} components (${percent(convention)}) in this codebase ${there}. Move it to match.`;
}
