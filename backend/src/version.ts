import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The backend's version, from its package.json. */
export const VERSION = (require('../package.json') as { version: string }).version;
