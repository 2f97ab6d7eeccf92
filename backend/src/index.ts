export { loadConfig, configEntries, type Config, type ConfigInput } from './config.js';
export { startServer, databaseFile, type BackendServer, type StartOptions } from './server.js';
export { createLogger } from './logging.js';
export { issueToken, hashToken, DEFAULT_TENANT } from './auth/api-tokens.js';
export { SqliteStore } from './store/sqlite/sqlite-store.js';
export type * from './store/store.js';
