import { createHash, randomBytes } from 'node:crypto';
import type { Store, TokenScope } from '../store/store.js';

/** Every token starts with this, so secret scanners and people recognise one. */
export const TOKEN_PREFIX = 'auxil_';

/** The tenant an embedded (single-machine) installation keeps everything in. */
export const DEFAULT_TENANT = { id: 'default', name: 'Default tenant' } as const;

/**
 * Tokens are 256 random bits, so a fast hash is enough to store them: there is nothing to
 * brute-force that a slow password hash would protect.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Creates a token for a tenant (every scope unless `scopes` narrows it) and returns its secret; only the hash is stored. */
export async function issueToken(
  store: Store,
  tenantId: string,
  name: string,
  scopes?: readonly TokenScope[],
): Promise<{ id: string; token: string }> {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const record = await store.forTenant(tenantId).tokens.create({ name, tokenHash: hashToken(token), ...(scopes ? { scopes } : {}) });
  return { id: record.id, token };
}

/** Who a valid token acts for, and what it may do. */
export interface Caller {
  readonly tenantId: string;
  readonly tokenId: string;
  readonly scopes: readonly TokenScope[];
}

/** The stored token a bearer secret belongs to, if any. */
export async function verifyToken(store: Store, token: string): Promise<Caller | undefined> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return undefined;
  const record = await store.findTokenByHash(hashToken(token));
  return record && { tenantId: record.tenantId, tokenId: record.id, scopes: record.scopes };
}
