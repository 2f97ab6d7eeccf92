import { readFile } from 'node:fs/promises';
import { HealthResponse } from '@auxil/protocol';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Whether a server URL points at this machine. */
export function isLoopback(serverUrl: string): boolean {
  try {
    return LOOPBACK_HOSTS.has(new URL(serverUrl).hostname);
  } catch {
    return false;
  }
}

/**
 * Zero-configuration sign-in to a backend on this machine: the backend names its token file on
 * /healthz, and only the user who started it can read that file (mode 0600). Returns undefined
 * when the server offers no local token or the file is not readable by us; throws when the server
 * cannot be reached, so the caller retries later.
 */
export async function discoverLocalToken(serverUrl: string): Promise<string | undefined> {
  if (!isLoopback(serverUrl)) return undefined;
  const response = await fetch(new URL('/healthz', serverUrl), { signal: AbortSignal.timeout(5000) });
  const health = HealthResponse.safeParse(await response.json().catch(() => undefined));
  if (!health.success || !health.data.localTokenFile) return undefined;
  const token = await readFile(health.data.localTokenFile, 'utf8').catch(() => undefined);
  return token?.trim() || undefined;
}
