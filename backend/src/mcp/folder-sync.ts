import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_BATCH_FILES, type ManifestEntry, type UploadLine } from '@auxil/protocol';
import { discoverFiles } from '../analysis/file-discovery.js';
import { decodeUtf8, sha256, syncManifest, uploadBatch } from '../projects/project-service.js';
import type { Services } from '../services.js';

/** Bytes of content per upload batch, well under the API's batch limit. */
const BATCH_BYTES = 32 * 1024 * 1024;

interface KnownFile {
  readonly mtimeMs: number;
  readonly size: number;
  readonly hash: string;
}

/**
 * Keeps a project equal to a folder on disk, for `auxil mcp` on a local folder: before every tool
 * call the folder is walked (the same discovery as `auxil analyze`: .gitignore and default ignores),
 * files whose size or modification time changed are read and hashed, and the project is synced
 * through the same manifest and upload use cases as the REST API. So an agent's own edits show
 * in the next answer, and an unchanged folder costs a walk and a stat per file.
 */
export class FolderSync {
  private known = new Map<string, KnownFile>();
  private turn: Promise<void> = Promise.resolve();

  constructor(
    private readonly services: Services,
    private readonly tenantId: string,
    private readonly project: string,
    private readonly root: string,
  ) {}

  /** Brings the project up to date with the folder; calls queue, so each sees every edit made before it. */
  refresh(): Promise<void> {
    const next = this.turn.then(() => this.syncOnce());
    this.turn = next.catch(() => undefined);
    return next;
  }

  private async syncOnce(): Promise<void> {
    const { files } = await discoverFiles(this.root);
    const current = new Map<string, KnownFile>();
    const texts = new Map<string, string>();
    let changed = files.length !== this.known.size;
    for (const path of files) {
      const info = await stat(join(this.root, path)).catch(() => undefined);
      if (!info || info.size > this.services.config.maxFileBytes) continue;
      const before = this.known.get(path);
      if (before && before.mtimeMs === info.mtimeMs && before.size === info.size) {
        current.set(path, before);
        continue;
      }
      changed = true;
      const text = await this.read(path);
      if (text === undefined) continue;
      texts.set(path, text);
      current.set(path, { mtimeMs: info.mtimeMs, size: info.size, hash: sha256(text) });
    }
    if (!changed) return;
    const manifest: ManifestEntry[] = [...current].map(([path, file]) => ({ path, hash: file.hash, size: file.size }));
    const { missing } = await syncManifest(this.services, this.tenantId, this.project, manifest);
    await this.upload(missing, texts);
    this.known = current;
  }

  /** A file's text, or undefined when it vanished or is not UTF-8 (such files are left out, as the analyzer does). */
  private async read(path: string): Promise<string | undefined> {
    const bytes = await readFile(join(this.root, path)).catch(() => undefined);
    if (!bytes) return undefined;
    try {
      return decodeUtf8(bytes);
    } catch {
      return undefined;
    }
  }

  /** Uploads the contents the store lacks, in batches within the API's limits. */
  private async upload(paths: readonly string[], texts: ReadonlyMap<string, string>): Promise<void> {
    let batch: UploadLine[] = [];
    let bytes = 0;
    const flush = async (): Promise<void> => {
      if (batch.length > 0) await uploadBatch(this.services, this.tenantId, this.project, batch);
      batch = [];
      bytes = 0;
    };
    for (const path of paths) {
      const content = texts.get(path) ?? (await this.read(path));
      if (content === undefined) continue;
      if (batch.length === MAX_BATCH_FILES || bytes + content.length > BATCH_BYTES) await flush();
      batch.push({ path, content });
      bytes += content.length;
    }
    await flush();
  }
}
