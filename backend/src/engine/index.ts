// The analysis engine: pure functions and data structures over strings and typed arrays. Nothing
// here touches HTTP, storage, queues or the file system.
export { CloneIndex, type SimilarMatch, type SimilarOptions } from './clones/clone-index.js';
export { type CloneClass, type CloneFragment } from './clones/clone-classes.js';
export { prepareRecord, type FileRecord } from './clones/file-record.js';
export { encodeRecord, decodeRecord } from './clones/record-codec.js';
export { defaultCloneOptions, type CloneOptions, type CloneType } from './clones/options.js';
export { prepareFile } from './prepare-file.js';
export { lex } from './lexing/lex.js';
export { languageForPath, analysedExtensions } from './lexing/languages.js';
export { TokenKind, type LanguageId, type LexedFile } from './lexing/tokens.js';
