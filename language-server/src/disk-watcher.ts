import { watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';

/** Most folders watched by the fallback watcher; beyond, only the client's file events count. */
export const MAX_WATCHED_FOLDERS = 10_000;
/** Events are gathered this long, so a checkout touching many files is handled as one change. */
const SETTLE_MS = 100;

/**
 * The fallback for clients that do not watch files for the server (LSP's
 * workspace/didChangeWatchedFiles): one non-recursive watcher per workspace folder, whose events
 * (file and folder paths relative to the root) are handed over in batches.
 */
export class DiskWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly changed = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly root: string,
    private readonly onChange: (paths: string[]) => void,
  ) {}

  /** Watches these folders (project paths, '' for the root) and stops watching the others. Returns false when too many. */
  watchFolders(folders: readonly string[]): boolean {
    if (folders.length > MAX_WATCHED_FOLDERS) {
      this.dispose();
      return false;
    }
    const wanted = new Set(folders);
    for (const [folder, watcher] of this.watchers) {
      if (!wanted.has(folder)) {
        watcher.close();
        this.watchers.delete(folder);
      }
    }
    for (const folder of wanted) {
      if (this.watchers.has(folder)) continue;
      try {
        const watcher = watch(join(this.root, folder), { persistent: false }, (_event, name) => {
          if (name) this.record(folder === '' ? name.toString() : `${folder}/${name.toString()}`);
        });
        watcher.on('error', () => {
          watcher.close();
          this.watchers.delete(folder);
        });
        this.watchers.set(folder, watcher);
      } catch {
        // The folder went away between the walk and now: its parent's watcher reports that.
      }
    }
    return true;
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  private record(path: string): void {
    this.changed.add(path);
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const paths = [...this.changed];
      this.changed.clear();
      this.onChange(paths);
    }, SETTLE_MS);
  }
}
