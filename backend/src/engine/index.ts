// The analysis engine: pure functions and data structures over strings and typed arrays. Nothing
// here touches HTTP, storage, queues or the file system.
export { ProjectModel } from './project-model.js';
export { CloneIndex, type SimilarMatch, type SimilarOptions } from './clones/clone-index.js';
export { type CloneClass, type CloneFragment } from './clones/clone-classes.js';
export { prepareRecord, recordKey, type FileRecord } from './clones/file-record.js';
export { encodeRecord, decodeRecord } from './clones/record-codec.js';
export { sharedRecords } from './clones/shared-matching.js';
export { defaultCloneOptions, type CloneOptions, type CloneType } from './clones/options.js';
export { prepareFile } from './prepare-file.js';
export { lex } from './lexing/lex.js';
export { languageForPath, analysedExtensions, isJsx } from './lexing/languages.js';
export { TokenKind, type LanguageId, type LexedFile } from './lexing/tokens.js';
export { extractSymbols, type FileSymbols, type ImportInfo, type SymbolInfo, type SymbolKind } from './symbols/extract-symbols.js';
export { SymbolIndex, type SymbolMatch, type SymbolSearchOptions } from './symbols/symbol-search.js';
export { ConventionModel, type Convention, type ConventionFinding, type ConventionOptions } from './symbols/conventions.js';
export { namingStyle } from './symbols/naming.js';
