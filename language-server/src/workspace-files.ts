import { isUtf8 } from 'node:buffer';
import type { Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { ANALYSED_EXTENSIONS, MAX_FILE_BYTES, MAX_MANIFEST_FILES, checkProjectPath } from '@auxil/protocol';
import type { IgnoreRules } from './ignore-rules.js';

/** Most files one workspace sync sends: what one manifest may list. */
export const MAX_WORKSPACE_FILES = MAX_MANIFEST_FILES;

const analysed = new Set(ANALYSED_EXTENSIONS);

/** Whether a path names a file the backend analyses. */
export function isAnalysedPath(path: string): boolean {
  const dot = path.lastIndexOf('.');
  return dot > path.lastIndexOf('/') && analysed.has(path.slice(dot + 1).toLowerCase());
}

/** A workspace path as a project path ('/' separators), or undefined when it lies outside the root. */
export function projectPathOf(root: string, absolute: string): string | undefined {
  const path = relative(root, absolute).split(sep).join('/');
  if (path.startsWith('../') || path === '..' || checkProjectPath(path) !== undefined) return undefined;
  return path;
}

export interface WorkspaceScan {
  /** Project paths of the files to sync, in walk order. */
  readonly files: string[];
  /** Project paths of the folders walked ('' is the root): what a fallback file watcher watches. */
  readonly folders: string[];
  /** True when the workspace had more files than MAX_WORKSPACE_FILES. */
  readonly truncated: boolean;
}

/**
 * Lists the analysable files under `root` that the rules do not leave out. Symbolic links are not
 * followed, so a link loop cannot trap the walk.
 */
export async function scanWorkspace(root: string, rules: IgnoreRules): Promise<WorkspaceScan> {
  const files: string[] = [];
  const folders: string[] = [];
  const pending = [''];
  while (pending.length > 0) {
    const folder = pending.pop() as string;
    folders.push(folder);
    let entries: Dirent[];
    try {
      entries = await readdir(join(root, folder), { withFileTypes: true });
    } catch {
      continue; // Unreadable folders are skipped, like an editor's file explorer does.
    }
    entries.sort((a, b) => (a.name < b.name ? 1 : -1));
    for (const entry of entries) {
      const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!(await rules.ignoresEntry(path, true))) pending.push(path);
        continue;
      }
      if (!entry.isFile() || !isAnalysedPath(entry.name) || checkProjectPath(path) !== undefined) continue;
      if (await rules.ignoresEntry(path, false)) continue;
      if (files.length === MAX_WORKSPACE_FILES) return { files, folders, truncated: true };
      files.push(path);
    }
  }
  return { files, folders, truncated: false };
}

/** Why a file is not sent although its name says it is source code. */
export type SkipReason = 'unreadable' | 'too-large' | 'binary';

/**
 * A workspace file's bytes, or why it is not sent: larger than the backend accepts, or not text
 * (a NUL byte, or not UTF-8, which the backend refuses anyway). Checked without decoding, so
 * hashing a large workspace allocates no strings.
 */
export async function readSourceBytes(root: string, path: string): Promise<{ bytes: Buffer } | { skipped: SkipReason }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(join(root, path));
  } catch {
    return { skipped: 'unreadable' };
  }
  if (bytes.length > MAX_FILE_BYTES) return { skipped: 'too-large' };
  if (bytes.subarray(0, 8000).includes(0) || !isUtf8(bytes)) return { skipped: 'binary' };
  return { bytes };
}

/** A workspace file's text, or why it is not sent (see readSourceBytes). */
export async function readSourceFile(root: string, path: string): Promise<{ text: string } | { skipped: SkipReason }> {
  const read = await readSourceBytes(root, path);
  return 'bytes' in read ? { text: read.bytes.toString('utf8') } : read;
}
