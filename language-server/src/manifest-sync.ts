import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { ManifestResponse, UploadResponse, type ManifestEntry } from '@auxil/protocol';
import type { BackendConnection } from './backend-connection.js';
import { readSourceBytes, readSourceFile } from './workspace-files.js';

/** Files read at once while building the manifest. */
const READ_CONCURRENCY = 16;
/** Largest upload batch: small enough for steady progress, large enough to amortise each request. */
const BATCH_FILES = 1000;
const BATCH_BYTES = 4 * 1024 * 1024;

/** What the server remembers of a workspace file: enough for the manifest and the summary, never its text. */
export interface LocalFile {
  readonly hash: string;
  readonly size: number;
  readonly lines: number;
}

const NEWLINE = 0x0a;

function countLines(bytes: Uint8Array): number {
  let lines = bytes.length > 0 && bytes[bytes.length - 1] !== NEWLINE ? 1 : 0;
  for (let at = bytes.indexOf(NEWLINE); at >= 0; at = bytes.indexOf(NEWLINE, at + 1)) lines++;
  return lines;
}

/** A file's current text: the editor's when it is open, else the disk's (undefined when not sendable). */
export type TextSource = (path: string) => Promise<string | undefined>;
/** The same as bytes, which is all hashing needs. */
export type BytesSource = (path: string) => Promise<Uint8Array | undefined>;

export function diskOrEditor(root: string, editorText: (path: string) => string | undefined): TextSource {
  return async (path) => {
    const open = editorText(path);
    if (open !== undefined) return open;
    const read = await readSourceFile(root, path);
    return 'text' in read ? read.text : undefined;
  };
}

export function bytesOf(root: string, editorText: (path: string) => string | undefined): BytesSource {
  return async (path) => {
    const open = editorText(path);
    if (open !== undefined) return Buffer.from(open, 'utf8');
    const read = await readSourceBytes(root, path);
    return 'bytes' in read ? read.bytes : undefined;
  };
}

export function localFileOf(content: string | Uint8Array): LocalFile {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return { hash: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, lines: countLines(bytes) };
}

/** Reads and hashes every file, a few at a time; files that cannot be sent are left out. */
export async function hashFiles(
  paths: readonly string[],
  textOf: BytesSource,
  progress: (done: number) => void,
  current: () => boolean,
): Promise<Map<string, LocalFile> | undefined> {
  const files = new Map<string, LocalFile>();
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < paths.length && current()) {
      const path = paths[next++] as string;
      const text = await textOf(path);
      if (text !== undefined) files.set(path, localFileOf(text));
      progress(++done);
    }
  };
  await Promise.all(Array.from({ length: READ_CONCURRENCY }, worker));
  return current() ? files : undefined;
}

export function manifestOf(files: ReadonlyMap<string, LocalFile>): ManifestEntry[] {
  return [...files].map(([path, file]) => ({ path, hash: file.hash, size: file.size }));
}

export async function postManifest(backend: BackendConnection, files: ReadonlyMap<string, LocalFile>) {
  return backend.json(ManifestResponse, 'POST', `/v1/projects/${encodeURIComponent(backend.project)}/manifest`, {
    files: manifestOf(files),
  });
}

/**
 * Uploads the given files in gzip-compressed NDJSON batches, one batch at a time (the backend
 * indexes a project's batches in turn anyway) while the next one is read and compressed. Reports
 * each batch's files as uploaded with their hashes; stops at the first failure, or when the sync
 * is no longer current, and says whether everything went.
 */
export async function uploadFiles(
  backend: BackendConnection,
  paths: readonly string[],
  bytesOf: BytesSource,
  uploaded: (files: Map<string, LocalFile>) => void,
  current: () => boolean,
): Promise<boolean> {
  const batches = readBatches(paths, bytesOf, current);
  let pending = batches.next();
  for (;;) {
    const batch = await pending;
    if (batch.done || !current()) return current();
    pending = batches.next();
    if (batch.value.files.size === 0) continue;
    const result = await backend.call(UploadResponse, 'POST', `/v1/projects/${encodeURIComponent(backend.project)}/files`, {
      body: batch.value.body,
      headers: { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' },
    });
    if (!result.ok) {
      // Let the read-ahead finish quietly: nothing waits for it any more.
      void pending.catch(() => undefined);
      return false;
    }
    uploaded(batch.value.files);
  }
}

/**
 * One upload batch, compressed as its lines are added: only the compressed body is held, never the
 * batch's text, so a large sync's memory stays flat.
 */
class UploadBatch {
  readonly files = new Map<string, LocalFile>();
  bytes = 0;
  private readonly gzip = createGzip();
  private readonly chunks: Buffer[] = [];

  constructor() {
    this.gzip.on('data', (chunk: Buffer) => this.chunks.push(chunk));
  }

  async add(path: string, content: Uint8Array): Promise<void> {
    const file = localFileOf(content);
    const line = `${JSON.stringify({ path, content: Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('utf8'), hash: file.hash })}\n`;
    this.files.set(path, file);
    this.bytes += file.size;
    if (!this.gzip.write(line)) await once(this.gzip, 'drain');
  }

  async body(): Promise<Buffer> {
    this.gzip.end();
    await finished(this.gzip);
    return Buffer.concat(this.chunks);
  }
}

async function* readBatches(
  paths: readonly string[],
  bytesOf: BytesSource,
  current: () => boolean,
): AsyncGenerator<{ body: Buffer; files: Map<string, LocalFile> }> {
  let batch = new UploadBatch();
  for (const path of paths) {
    if (!current()) return;
    const content = await bytesOf(path);
    if (content === undefined) continue;
    await batch.add(path, content);
    if (batch.files.size >= BATCH_FILES || batch.bytes >= BATCH_BYTES) {
      const full = batch;
      batch = new UploadBatch();
      yield { body: await full.body(), files: full.files };
    }
  }
  if (batch.files.size > 0) yield { body: await batch.body(), files: batch.files };
}
