// The analysis engine: pure functions and data structures over strings and typed arrays. Nothing
// here touches HTTP, storage, queues or the file system.
export { CloneIndex, defaultCloneOptions, type CloneCopy, type CloneOptions, type FileClone } from './clone-index.js';
export { syntaxForPath, type LanguageSyntax } from './languages.js';
export { tokenize, type TokenStream } from './lexer.js';
