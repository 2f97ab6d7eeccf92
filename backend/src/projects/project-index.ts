import { duplicateMessage, type DuplicateFinding, type FileFindings } from '@auxil/protocol';
import { matchInParallel, type PreparePool } from '../analysis/engine-threads.js';
import {
  ProjectModel,
  decodeRecord,
  encodeRecord,
  prepareFile,
  recordKey,
  sharedRecords,
  type CloneClass,
  type CloneOptions,
  type FileRecord,
} from '../engine/index.js';
import type { FileChange, FileWrite, Project, Store, TenantStore } from '../store/store.js';

/** Files read from the store per page when an index is loaded. */
const LOAD_PAGE = 2_000;
/** Above this many files waiting to be matched, matching runs on worker threads instead of inline. */
const PARALLEL_MATCHING_FROM = 256;
/** A catch-up with more changes than this loads them in bulk (matched in parallel) rather than one by one. */
const BULK_CHANGES_FROM = 64;

/** One finding per copy of a class that lies in `path` (a class can hold two copies in one file). */
function toFindings(path: string, cloneClass: CloneClass): DuplicateFinding[] {
  return cloneClass.fragments
    .filter((fragment) => fragment.path === path)
    .map((fragment) => {
      const others = cloneClass.fragments
        .filter((other) => other !== fragment)
        .map((other) => ({ file: other.path, startLine: other.startLine, endLine: other.endLine }));
      return {
        kind: 'duplicate',
        id: `${cloneClass.id}:${fragment.startLine}`,
        cloneType: cloneClass.type,
        tokens: cloneClass.tokens,
        startLine: fragment.startLine,
        endLine: fragment.endLine,
        message: duplicateMessage(cloneClass, others),
        others,
      };
    });
}

/** A file as the index received it: content hash and, when it is in a language Auxil reads, its record. */
export interface PreparedFile {
  readonly path: string;
  readonly hash: string;
  readonly text: string;
  readonly record: FileRecord | undefined;
}

/** What a change did to the index: the files whose findings may differ now. */
export interface IndexChange {
  readonly revision: number;
  /** Every affected path, or undefined after a bulk change (too many to tell one by one). */
  readonly affected: Set<string> | undefined;
}

export interface IndexSettings {
  readonly clones: Partial<CloneOptions>;
  /** Threads for matching many files at once. */
  readonly threads: number;
  readonly prepare: PreparePool;
}

/**
 * The live index of one project in this process: the engine's model, the content hash of every
 * file, and the store revision it reflects. The store is the truth; before every answer the index
 * catches up with changes other processes made (`catchUp`), which is what makes an update
 * acknowledged by one process visible to a read on another. Work on one project runs one task at
 * a time (`exclusive`), so the store and the index never see two writers of it interleave here.
 */
export class ProjectIndex {
  readonly model: ProjectModel;
  readonly recordKey: string;
  private readonly hashes = new Map<string, string>();
  private tail: Promise<unknown> = Promise.resolve();
  /** The store revision this index reflects. */
  private revision = 0;
  /** All clone classes, computed once per revision (a full grouping costs seconds on 50,000 files). */
  private allClasses: { revision: number; classes: CloneClass[] } | undefined;
  /** Every path in order, sorted once per revision (pages of findings walk them thousands of times). */
  private orderedPaths: { revision: number; paths: string[] } | undefined;

  constructor(
    readonly project: Project,
    private readonly tenant: TenantStore,
    private readonly settings: IndexSettings,
  ) {
    this.model = new ProjectModel({ clones: settings.clones });
    this.recordKey = recordKey({ minTokens: this.model.clones.options.minTokens });
  }

  get currentRevision(): number {
    return this.revision;
  }

  get files(): number {
    return this.hashes.size;
  }

  /** Runs `task` after every task queued before it on this project has settled. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }

  hashOf(path: string): string | undefined {
    return this.hashes.get(path);
  }

  paths(): IterableIterator<string> {
    return this.hashes.keys();
  }

  /** Every path of the project, in order (do not change the array). */
  sortedPaths(): readonly string[] {
    if (this.orderedPaths?.revision !== this.revision)
      this.orderedPaths = { revision: this.revision, paths: [...this.hashes.keys()].sort() };
    return this.orderedPaths.paths;
  }

  /**
   * The project as this index holds it: how many files it has and the records of those Auxil reads,
   * in path order. Records never change once made (a changed file gets a new one), so the list
   * stays a consistent picture of this revision whatever happens to the index after.
   */
  snapshot(): { files: number; records: FileRecord[] } {
    const paths = this.sortedPaths();
    const records = paths.flatMap((path) => this.model.clones.record(path) ?? []);
    return { files: paths.length, records };
  }

  /** Prepares a file's record on this thread (one file: cheaper than a hop to a worker). */
  prepareOne(path: string, hash: string, text: string): PreparedFile {
    return { path, hash, text, record: prepareFile(path, text, { minTokens: this.model.clones.options.minTokens }) };
  }

  /** Prepares many files on the worker threads. */
  async prepareMany(files: readonly { path: string; hash: string; text: string }[]): Promise<PreparedFile[]> {
    const records = await this.settings.prepare.prepare(files, this.model.clones.options.minTokens);
    return files.map((file, i) => ({ ...file, record: records[i] }));
  }

  /** The store write for a prepared file, record included so other processes need not lex it. */
  toWrite(file: PreparedFile): FileWrite {
    return {
      path: file.path,
      hash: file.hash,
      content: file.text,
      record: file.record ? { key: this.recordKey, bytes: encodeRecord(file.record) } : undefined,
    };
  }

  /** Loads the index from the store: records where they fit, files lexed where not. */
  async load(): Promise<void> {
    const files = this.tenant.files;
    const projectId = this.project.id;
    const revision = await files.revision(projectId);
    let after: string | undefined;
    for (;;) {
      const page = await files.indexInputs(projectId, this.recordKey, after, LOAD_PAGE);
      if (page.length === 0) break;
      const stale: { path: string; hash: string; text: string }[] = [];
      const decoded: FileRecord[] = [];
      for (const input of page) {
        this.hashes.set(input.path, input.hash);
        // Views of the stored bytes: `sharedRecords` below copies them once, into shared memory.
        if (input.record) decoded.push(decodeRecord(input.record, { views: true }));
        else if (input.content !== undefined) stale.push({ path: input.path, hash: input.hash, text: input.content });
      }
      // One shared buffer per kind of array for the page, not one per array of every file: handing
      // 100,000 separate buffers to the matching threads took their start half a minute.
      for (const record of sharedRecords(decoded)) this.model.add(record);
      for (const file of await this.prepareMany(stale)) {
        if (!file.record) continue;
        this.model.add(file.record);
        // Stored for the next process that loads this project; a file changed meanwhile is left alone.
        await files.putRecord(projectId, file.path, file.hash, { key: this.recordKey, bytes: encodeRecord(file.record) });
      }
      after = page[page.length - 1]?.path;
    }
    this.revision = revision;
    // Changes made while the pages were read have revisions above `revision`: replay them.
    await this.catchUp();
    await this.settle();
  }

  /**
   * Brings the index up to the store's revision, replaying the changes other processes made.
   * Returns what changed, or undefined when nothing did.
   */
  async catchUp(known: readonly PreparedFile[] = []): Promise<IndexChange | undefined> {
    const files = this.tenant.files;
    const current = await files.revision(this.project.id);
    if (current <= this.revision) return undefined;
    const changes = await files.changesSince(this.project.id, this.revision);
    const byPath = new Map(known.map((file) => [file.path, file]));
    const prepared: (PreparedFile | { path: string; removed: true })[] = [];
    const toPrepare: { path: string; hash: string; text: string }[] = [];
    for (const change of changes) {
      if (change.hash === null) {
        if (this.hashes.has(change.path)) prepared.push({ path: change.path, removed: true });
        continue;
      }
      if (this.hashes.get(change.path) === change.hash) continue;
      const mine = byPath.get(change.path);
      if (mine && mine.hash === change.hash) {
        prepared.push(mine);
        continue;
      }
      const text = await files.content(change.hash);
      // Gone again already (removed by a later change, which this list also holds): skip it.
      if (text !== undefined) toPrepare.push({ path: change.path, hash: change.hash, text });
    }
    prepared.push(
      ...(toPrepare.length > 8 ? await this.prepareMany(toPrepare) : toPrepare.map((f) => this.prepareOne(f.path, f.hash, f.text))),
    );
    const revision = Math.max(current, ...changes.map((change: FileChange) => change.revision));
    return this.applyStored(prepared, revision);
  }

  /**
   * Applies this process's own write, stored at `revision`: directly when nothing else was written
   * in between (the revision moved by one), else by catching up, which replays the others' too.
   */
  async applyWritten(prepared: readonly PreparedFile[], removes: readonly string[], revision: number): Promise<IndexChange | undefined> {
    if (revision !== this.revision + 1) return this.catchUp(prepared);
    return this.applyStored([...prepared, ...removes.map((path) => ({ path, removed: true as const }))], revision);
  }

  /**
   * Applies files already stored at `revision` to the index. Many at once are added in bulk and
   * left unmatched: a sync of thousands of files in batches matches them once, on threads, when
   * something first asks (`settle`), not after every batch — each matching run starts threads
   * that see the whole index, and thirty of them cost a syncing server time and memory.
   */
  private async applyStored(files: readonly (PreparedFile | { path: string; removed: true })[], revision: number): Promise<IndexChange> {
    this.revision = Math.max(this.revision, revision);
    if (files.length > BULK_CHANGES_FROM) {
      for (const file of files) {
        if ('removed' in file) {
          this.hashes.delete(file.path);
          this.model.remove(file.path);
        } else {
          this.hashes.set(file.path, file.hash);
          if (file.record) this.model.add(file.record);
          else this.model.remove(file.path);
        }
      }
      return { revision: this.revision, affected: undefined };
    }
    // A single-file update matches pending files inline: settle a bulk change first, on threads.
    await this.settle();
    const affected = new Set<string>();
    for (const file of files) {
      if ('removed' in file) this.hashes.delete(file.path);
      else this.hashes.set(file.path, file.hash);
      const record = 'removed' in file ? undefined : file.record;
      for (const path of this.model.update(file.path, record)) affected.add(path);
    }
    return { revision: this.revision, affected };
  }

  /** Matches files added in bulk; many at once go to the worker threads. Call before reading the index. */
  async settle(): Promise<void> {
    if (this.model.clones.pendingCount() < PARALLEL_MATCHING_FROM) return;
    await this.settings.prepare.releaseIdle();
    await matchInParallel(this.model.clones, this.settings.threads);
  }

  /** The current findings of a file known to the index. */
  findingsOf(path: string): FileFindings | undefined {
    const hash = this.hashes.get(path);
    if (hash === undefined) return undefined;
    const findings = this.model.classesOf(path).flatMap((cloneClass) => toFindings(path, cloneClass));
    findings.sort((a, b) => a.startLine - b.startLine || a.endLine - b.endLine);
    return { file: path, hash, revision: this.revision, findings };
  }

  /** Every clone class of the project, remembered until the next change. */
  classes(): CloneClass[] {
    if (this.allClasses?.revision !== this.revision) this.allClasses = { revision: this.revision, classes: this.model.classes() };
    return this.allClasses.classes;
  }
}

/**
 * Every project index this process serves, built from the store on first use. Keyed by tenant and
 * project id, so one tenant's index can never answer for another's.
 */
export class ProjectIndexes {
  private readonly indexes = new Map<string, Promise<ProjectIndex>>();

  constructor(
    private readonly store: Store,
    private readonly settings: IndexSettings,
  ) {}

  private static key(tenantId: string, projectId: string): string {
    return `${tenantId}\u0000${projectId}`;
  }

  /** The project's index, loaded and brought up to date with the store. */
  async get(tenantId: string, project: Project): Promise<ProjectIndex> {
    const key = ProjectIndexes.key(tenantId, project.id);
    let index = this.indexes.get(key);
    if (!index) {
      const created = new ProjectIndex(project, this.store.forTenant(tenantId), this.settings);
      index = created.exclusive(() => created.load()).then(() => created);
      this.indexes.set(key, index);
      // A failed load (store down) must not be cached: the next request tries again.
      index.catch(() => this.indexes.delete(key));
    }
    return index;
  }

  /** The project's index if this process has loaded it (a load it starts is waited for); never loads one. */
  loaded(tenantId: string, projectId: string): Promise<ProjectIndex> | undefined {
    return this.indexes.get(ProjectIndexes.key(tenantId, projectId));
  }

  /** Forgets a project's index (after the project was deleted). */
  drop(tenantId: string, projectId: string): void {
    this.indexes.delete(ProjectIndexes.key(tenantId, projectId));
  }

  async close(): Promise<void> {
    this.indexes.clear();
    await this.settings.prepare.close();
  }
}
