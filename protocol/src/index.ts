export * from './paths.js';
export * from './findings.js';
export * from './http.js';
export * from './push.js';
export * from './lsp.js';
export * from './api.js';
export * from './suppressions.js';
