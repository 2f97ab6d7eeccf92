import { AuxilError } from '../errors.js';
import type { Store } from './store.js';

/** Which adapter a store URL selects, and what it is given. */
export type StoreTarget = { readonly adapter: 'sqlite'; readonly path: string } | { readonly adapter: 'mongodb'; readonly url: string };

const USAGE = 'use sqlite:<path> or a plain file path for the embedded store, or a mongodb:// or mongodb+srv:// URL for MongoDB';

/**
 * Reads a store URL without opening anything. Errors name the scheme but never echo the URL: a
 * MongoDB URL may carry a password.
 */
export function parseStoreUrl(url: string): StoreTarget {
  if (url.trim() === '') throw new AuxilError('invalid_request', `the store URL is empty; ${USAGE}`);
  if (/^mongodb(\+srv)?:\/\//i.test(url)) return { adapter: 'mongodb', url };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  // A Windows drive letter ("C:\data\auxil.db") looks like a one-letter scheme; it is a path.
  const isDrive = scheme?.length === 1 && /^[a-z]:[\\/]/i.test(url);
  if (scheme === undefined || isDrive) return { adapter: 'sqlite', path: url };
  if (scheme.toLowerCase() === 'sqlite') {
    const path = url.slice('sqlite:'.length);
    if (path === '') throw new AuxilError('invalid_request', `the store URL sqlite: names no file; ${USAGE}`);
    return { adapter: 'sqlite', path };
  }
  throw new AuxilError('invalid_request', `the store URL has the unsupported scheme "${scheme}:"; ${USAGE}`);
}

/**
 * Opens the store a URL names: `sqlite:<path>` or a plain path → the embedded SQLite store;
 * `mongodb://…` or `mongodb+srv://…` → MongoDB. Either way the schema is brought up to date
 * before the store is returned.
 */
export async function openStore(url: string): Promise<Store> {
  const target = parseStoreUrl(url);
  // Each adapter is loaded only when chosen, so an embedded start does not load the MongoDB
  // driver, and a distributed one does not load SQLite's native module.
  if (target.adapter === 'sqlite') {
    const { SqliteStore } = await import('./sqlite/sqlite-store.js');
    return SqliteStore.open(target.path);
  }
  const { MongoStore } = await import('./mongodb/mongo-store.js');
  return MongoStore.open(target.url);
}
