import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A fresh temporary folder, removed by the returned cleanup (call it from `after`). */
export async function tempDir(prefix: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `auxil-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true, maxRetries: 3 }) };
}

/** Absolute path of a fixture under test/fixtures. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

/** Copies a fixture into `destination`, so a test can edit it freely. */
export async function copyFixture(name: string, destination: string): Promise<string> {
  await cp(fixturePath(name), destination, { recursive: true });
  return destination;
}
