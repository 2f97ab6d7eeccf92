import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { ANALYSED_EXTENSIONS, MAX_FILE_BYTES, checkProjectPath } from '@auxil/protocol';

/** Folders that hold generated, vendored or tool state rather than the team's own code. */
const SKIPPED_FOLDERS = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  'dist',
  'build',
  'out',
  'coverage',
  '.auxil',
  '.cache',
  'vendor',
  'target',
  '__pycache__',
  '.venv',
]);

/** Most files one workspace sync sends; larger workspaces sync their first files and say so. */
export const MAX_WORKSPACE_FILES = 10_000;

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
  /** True when the workspace had more files than MAX_WORKSPACE_FILES. */
  readonly truncated: boolean;
}

/**
 * Lists the analysable files under `root`, skipping generated and vendored folders and files over
 * the upload limit. Symbolic links are not followed, so a link loop cannot trap the walk.
 */
export async function scanWorkspace(root: string): Promise<WorkspaceScan> {
  const files: string[] = [];
  const pending = [root];
  while (pending.length > 0) {
    const folder = pending.pop() as string;
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch {
      continue; // Unreadable folders are skipped, like an editor's file explorer does.
    }
    entries.sort((a, b) => (a.name < b.name ? 1 : -1));
    for (const entry of entries) {
      const absolute = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) pending.push(absolute);
        continue;
      }
      if (!entry.isFile() || !isAnalysedPath(entry.name)) continue;
      const path = projectPathOf(root, absolute);
      if (path === undefined) continue;
      const size = await stat(absolute).then(
        (info) => info.size,
        () => Number.POSITIVE_INFINITY,
      );
      if (size > MAX_FILE_BYTES) continue;
      if (files.length === MAX_WORKSPACE_FILES) return { files, truncated: true };
      files.push(path);
    }
  }
  return { files, truncated: false };
}
