import { prepareRecord, type FileRecord, type RecordOptions } from './clones/file-record.js';
import { isJsx, languageForPath } from './lexing/languages.js';
import { lex } from './lexing/lex.js';

/** Lexes and fingerprints one file; undefined when its language is not one Auxil analyses. */
export function prepareFile(path: string, text: string, options: RecordOptions): FileRecord | undefined {
  const language = languageForPath(path);
  return language === undefined ? undefined : prepareRecord(path, lex(text, language, { jsx: isJsx(path) }), options);
}
