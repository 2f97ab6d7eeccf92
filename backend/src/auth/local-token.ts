import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Store } from '../store/store.js';
import { DEFAULT_TENANT, issueToken, verifyToken } from './api-tokens.js';

/** Name of the file, inside the data directory, that holds the local token. */
export const LOCAL_TOKEN_FILE = 'local-token';

/**
 * Makes sure the embedded default tenant exists and that the data directory holds a valid token
 * for it, readable only by the user running the server (mode 0600). This is how local mode is
 * secure yet needs no setup: every request still needs a token, and the user's own tools read it
 * from that file, which no other user on the machine can.
 */
export async function ensureLocalToken(store: Store, dataDir: string): Promise<string> {
  await store.tenants.ensure(DEFAULT_TENANT.id, DEFAULT_TENANT.name);
  const file = join(dataDir, LOCAL_TOKEN_FILE);
  const existing = await readFile(file, 'utf8').then(
    (text) => text.trim(),
    () => undefined,
  );
  if (existing && (await verifyToken(store, existing))) return file;
  const { token } = await issueToken(store, DEFAULT_TENANT.id, 'local');
  // Write then rename, so a reader never sees a half-written token.
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${token}\n`, { mode: 0o600 });
  await rename(temporary, file);
  return file;
}
