import { stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  DeleteFileResponse,
  FileReport,
  IndexChangedNotification,
  StatusNotification,
  SuppressionList,
  filePath,
  type ConnectionState,
  type ServerSettings,
  type StatusParams,
} from '@auxil/protocol';
import type { Connection, TextDocuments, WorkDoneProgressServerReporter } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { BackendConnection } from './backend-connection.js';
import { DiskWatcher } from './disk-watcher.js';
import { EditStream } from './edit-stream.js';
import { FindingsView } from './findings-view.js';
import { HeapGuard } from './heap-guard.js';
import { IgnoreRules } from './ignore-rules.js';
import {
  bytesOf,
  diskOrEditor,
  hashFiles,
  localFileOf,
  postManifest,
  uploadFiles,
  type BytesSource,
  type LocalFile,
  type TextSource,
} from './manifest-sync.js';
import { findingsPages } from './project-findings.js';
import { isAnalysedPath, projectPathOf, scanWorkspace } from './workspace-files.js';

/** More files than this changed on disk at once (a checkout, a rebase): resync by manifest instead. */
const RESYNC_FROM_CHANGES = 50;
/** Findings fetched at once after an index change that names its files. */
const FETCH_CONCURRENCY = 4;
/** Least time between two `auxil/status` progress notifications and two `auxil/indexChanged`. */
const NOTICE_MS = 200;

/** The process's memory, for the log. */
function memoryInWords(): string {
  const usage = process.memoryUsage();
  const mb = (bytes: number): string => `${Math.round(bytes / 2 ** 20)} MB`;
  return `memory: RSS ${mb(usage.rss)}, heap ${mb(usage.heapUsed)} of ${mb(usage.heapTotal)}, buffers ${mb(usage.arrayBuffers)}`;
}

/** Whether closed files' diagnostics may differ under the new settings: they are not kept, so they are fetched again. */
function changesClosedFiles(previous: ServerSettings, settings: ServerSettings): boolean {
  return (
    previous.publishClosedFiles !== settings.publishClosedFiles ||
    previous.minTokens !== settings.minTokens ||
    JSON.stringify(previous.severity) !== JSON.stringify(settings.severity)
  );
}

/** The project name a workspace folder gets when the settings name none. */
export function defaultProjectName(root: string): string {
  const name = basename(root)
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 100);
  return name === '' ? 'workspace' : name;
}

export interface ClientAbilities {
  /** The client watches files for the server (workspace/didChangeWatchedFiles with dynamic registration). */
  readonly watchesFiles: boolean;
  /** The client shows server-initiated progress (window/workDoneProgress). */
  readonly workDoneProgress: boolean;
}

/**
 * Keeps one workspace folder in sync with its project on the backend and shows the backend's
 * findings as diagnostics. On every (re)connection the whole folder is synced by manifest: its
 * hashes go up, only the contents the backend lacks follow, in batches. Afterwards each edit is
 * streamed (debounced, latest version wins), and files changed outside the editor are picked up
 * from the client's file events or, without them, from a watcher of our own.
 */
export class WorkspaceSync {
  readonly view: FindingsView;
  private backend: BackendConnection | undefined;
  private settings: ServerSettings;
  private rules: IgnoreRules;
  private readonly stream: EditStream;
  private readonly heap = new HeapGuard();
  /** The hash the backend acknowledged for each path, on the current connection. */
  private readonly acked = new Map<string, string>();
  /** Every synced workspace file as last read (hash, size, lines): the manifest and the summary. */
  readonly local = new Map<string, LocalFile>();
  private readonly textOf: TextSource;
  private readonly bytesOf: BytesSource;
  private generation = 0;
  private syncRunning = false;
  private watcher: DiskWatcher | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private noticeTimer: NodeJS.Timeout | undefined;
  /** Closed files named by pushed findings, fetched together once a burst of events is over. */
  private readonly toFetch = new Set<string>();
  private fetchTimer: NodeJS.Timeout | undefined;
  private lastRevision = 0;
  private connectionState: { state: ConnectionState; detail: string } = { state: 'connecting', detail: '' };
  private lastProgressAt = 0;
  /** File URIs by path: every diagnostic names its file and its other copies. */
  private readonly uris = new Map<string, string>();
  /** The analysis started from this editor, followed through the push channel. */
  private analysis: StatusParams['analysis'];

  constructor(
    private readonly lsp: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    readonly root: string,
    settings: ServerSettings,
    private readonly client: ClientAbilities,
    docsUrl: string | undefined,
  ) {
    this.settings = settings;
    this.rules = new IgnoreRules(root, settings.exclude);
    this.view = new FindingsView(
      lsp,
      documents,
      { pathOf: (uri) => this.pathOf(uri), uriOf: (path) => this.uriOf(path) },
      settings,
      docsUrl,
    );
    this.stream = new EditStream((path) => this.sendFile(path), settings.debounceMs);
    this.textOf = diskOrEditor(root, (path) => this.openDocument(path)?.getText());
    this.bytesOf = bytesOf(root, (path) => this.openDocument(path)?.getText());
  }

  /** The connection in use, when connected. */
  get connection(): BackendConnection | undefined {
    return this.backend?.connected ? this.backend : undefined;
  }

  /** Applies new settings: a new server, token or project reconnects; new excludes resync. */
  configure(settings: ServerSettings): void {
    const previous = this.settings;
    this.settings = settings;
    this.stream.setDebounce(settings.debounceMs);
    void this.view.configure(settings);
    const reconnect =
      !this.backend ||
      previous.serverUrl !== settings.serverUrl ||
      previous.token !== settings.token ||
      previous.project !== settings.project ||
      previous.reconnectMinMs !== settings.reconnectMinMs ||
      previous.reconnectMaxMs !== settings.reconnectMaxMs;
    if (reconnect) this.connect();
    else if (JSON.stringify(previous.exclude) !== JSON.stringify(settings.exclude)) {
      this.rules = new IgnoreRules(this.root, settings.exclude);
      this.resync();
    } else if (settings.publishClosedFiles && changesClosedFiles(previous, settings)) this.scheduleRefresh();
  }

  /** An open document changed: send it once the user pauses typing. */
  changed(document: TextDocument): void {
    const path = this.pathOf(document.uri);
    if (path !== undefined && isAnalysedPath(path)) this.stream.changed(path);
  }

  opened(document: TextDocument): void {
    const path = this.pathOf(document.uri);
    if (path === undefined || !isAnalysedPath(path)) return;
    const backend = this.connection;
    // Its findings with columns (for the rename fix), and its text if it differs from the disk's.
    if (backend && !this.syncRunning) {
      if (this.acked.get(path) === localFileOf(document.getText()).hash) void this.fetchFindings(backend, path);
      else this.stream.now(path);
    }
  }

  /** A document was closed: the file on disk is the truth again (unsaved edits were discarded). */
  closed(document: TextDocument): void {
    const path = this.pathOf(document.uri);
    if (path === undefined || !isAnalysedPath(path)) return;
    this.stream.now(path);
    // The editor forgets the document after this event: publish once it is gone.
    setImmediate(() => void this.view.closedInEditor(path));
  }

  /** Files or folders changed on disk (saved elsewhere, checked out, renamed, deleted). */
  changedOnDisk(uris: readonly string[]): void {
    const paths = uris.map((uri) => this.pathOf(uri)).filter((path): path is string => path !== undefined);
    void this.diskChanges(paths);
  }

  /** Runs a full sync by manifest now (after a checkout, new excludes, or on request). */
  resync(): void {
    const backend = this.connection;
    if (backend) void this.fullSync(backend);
  }

  /** Starts following a batch analysis: its progress goes out with `auxil/status`. */
  followAnalysis(id: string): void {
    this.analysis = { id, status: 'queued', filesDone: 0, filesTotal: 0 };
    this.sendStatus();
  }

  /** Findings or suppressions changed in a way only a full refresh shows. */
  scheduleRefresh(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      const backend = this.connection;
      if (backend && !this.syncRunning) void this.refreshAll(backend);
    }, NOTICE_MS);
  }

  /** Waits until every edit made so far has been sent (for tests and benchmarks through the request). */
  settled(): Promise<void> {
    return this.stream.idle();
  }

  dispose(): void {
    this.generation++;
    this.stream.dispose();
    this.watcher?.dispose();
    clearTimeout(this.refreshTimer);
    clearTimeout(this.noticeTimer);
    clearTimeout(this.fetchTimer);
    this.backend?.dispose();
    this.backend = undefined;
  }

  uriOf(path: string): string {
    const open = this.openDocument(path);
    if (open) return open.uri;
    let uri = this.uris.get(path);
    if (uri === undefined) this.uris.set(path, (uri = pathToFileURL(join(this.root, path)).href));
    return uri;
  }

  pathOf(uri: string): string | undefined {
    if (!uri.startsWith('file:')) return undefined;
    return projectPathOf(this.root, fileURLToPath(uri));
  }

  openDocument(path: string): TextDocument | undefined {
    return this.documents.all().find((document) => this.pathOf(document.uri) === path);
  }

  /** A file's current text: the editor's if open, else the disk's (undefined when it cannot be sent). */
  text(path: string): Promise<string | undefined> {
    return this.textOf(path);
  }

  private connect(): void {
    this.backend?.dispose();
    this.generation++;
    const project = this.settings.project ?? defaultProjectName(this.root);
    const backend = new BackendConnection(this.settings, project, {
      status: (state, detail) => {
        this.connectionState = { state, detail };
        if (state !== 'connected') this.generation++; // A sync in progress stops; the next connection resyncs.
        this.sendStatus();
      },
      subscribed: () => {
        // A new connection may be to a restarted backend whose revisions start again.
        this.acked.clear();
        this.view.resetRevisions();
        void this.fullSync(backend);
      },
      findings: (event) => {
        this.noticeIndexChanged(event.revision);
        // A closed file's findings are not kept: its complete findings (conventions too) are fetched instead.
        if (!this.view.setDuplicates(event)) this.fetchSoon(event.file);
      },
      indexChanged: (event) => {
        this.noticeIndexChanged(event.revision);
        if (this.syncRunning) return; // The sync refreshes everything when it ends.
        if (event.files) void this.refreshFiles(backend, event.files);
        else this.scheduleRefresh();
      },
      analysis: (event) => {
        if (event.id !== this.analysis?.id) return;
        this.analysis = { id: event.id, status: event.status, filesDone: event.filesDone, filesTotal: event.filesTotal };
        this.sendStatus();
      },
      log: (message) => this.lsp.console.log(message),
    });
    this.backend = backend;
    backend.start();
  }

  private sendStatus(progress?: { done: number; total: number }): void {
    const { state, detail } = this.connectionState;
    const syncing = progress !== undefined && state === 'connected';
    const params: StatusParams = {
      state: syncing ? 'syncing' : state,
      detail: syncing ? `syncing the workspace: ${progress.done} of ${progress.total}` : detail,
      project: this.backend?.project ?? '',
      serverUrl: this.settings.serverUrl,
      ...(syncing ? { progress } : {}),
      ...(this.analysis ? { analysis: this.analysis } : {}),
    };
    void this.lsp.sendNotification(StatusNotification.method, params);
  }

  /**
   * Syncs the whole folder by manifest, then shows every file's findings. Edits wait meanwhile and go
   * out after, each only if its content differs from what was synced. A lost connection abandons the
   * run; the reconnection starts another.
   */
  private async fullSync(backend: BackendConnection): Promise<void> {
    const generation = ++this.generation;
    const current = () => this.generation === generation && this.backend === backend && backend.connected;
    this.syncRunning = true;
    this.stream.pause();
    const reporter = this.client.workDoneProgress ? await this.lsp.window.createWorkDoneProgress().catch(() => undefined) : undefined;
    reporter?.begin('Auxil: syncing the workspace', 0, 'reading files');
    // Phase times go to the log, where a slow sync can be told apart from a slow backend.
    const times: number[] = [performance.now()];
    try {
      // The sync's own lists (paths, hashes, the manifest's answer) are gone before the findings come.
      const sent = await this.sendWorkspace(backend, current, reporter, times);
      if (!sent) return;
      this.syncRunning = false;
      this.sendStatus();
      await this.refreshAll(backend);
      times.push(performance.now());
      const [read, manifest, upload, findings] = times.slice(1).map((time, n) => Math.round(time - (times[n] as number)));
      this.lsp.console.log(
        `synced ${sent.files} files (${sent.uploaded} uploaded) in ${Math.round((times.at(-1) as number) - (times[0] as number))} ms: ` +
          `walk and hash ${read} ms, manifest ${manifest} ms, upload ${upload} ms, findings ${findings} ms; ${memoryInWords()}`,
      );
    } finally {
      reporter?.done();
      if (this.generation === generation) {
        this.syncRunning = false;
        this.stream.resume();
      }
    }
  }

  /**
   * Walks and hashes the folder, sends the hashes and uploads what the backend lacks, pushing each
   * phase's end to `times`. Undefined when the run was abandoned or a request failed.
   */
  private async sendWorkspace(
    backend: BackendConnection,
    current: () => boolean,
    reporter: WorkDoneProgressServerReporter | undefined,
    times: number[],
  ): Promise<{ files: number; uploaded: number } | undefined> {
    const scan = await scanWorkspace(this.root, this.rules);
    if (scan.truncated) this.lsp.console.warn(`the workspace has more files than Auxil syncs; only the first ${scan.files.length} are`);
    this.watchDisk(scan.folders);
    const open = await this.openPaths();
    const paths = [...new Set([...scan.files, ...open])];
    const total = paths.length * 2;
    const report = (done: number, message: string, force = false) => {
      const now = Date.now();
      if (!force && now - this.lastProgressAt < NOTICE_MS) return;
      this.lastProgressAt = now;
      this.sendStatus({ done, total });
      reporter?.report(total === 0 ? 100 : Math.floor((done * 100) / total), message);
    };
    report(0, 'reading files', true);
    const files = await hashFiles(paths, this.bytesOf, (done) => report(done, `reading files (${done}/${paths.length})`), current);
    if (!files) return undefined;
    times.push(performance.now());
    this.local.clear();
    for (const [path, file] of files) this.local.set(path, file);
    const answer = await postManifest(backend, files);
    if (!answer.ok || !current()) return undefined;
    times.push(performance.now());
    const missing = new Set(answer.value.missing);
    for (const [path, file] of files) if (!missing.has(path)) this.acked.set(path, file.hash);
    let done = paths.length + (files.size - missing.size) + (paths.length - files.size);
    report(done, `uploading ${missing.size} files`, true);
    const complete = await uploadFiles(
      backend,
      [...missing],
      this.bytesOf,
      (batch) => {
        for (const [path, file] of batch) {
          this.acked.set(path, file.hash);
          this.local.set(path, file);
        }
        done += batch.size;
        report(done, `uploading files (${done - paths.length - (files.size - missing.size)}/${missing.size})`);
      },
      current,
    );
    if (!complete || !current()) return undefined;
    times.push(performance.now());
    this.lastRevision = Math.max(this.lastRevision, answer.value.revision);
    return { files: files.size, uploaded: missing.size };
  }

  /** Sends one file's current text, unless the backend already has it; a file gone from disk is removed. */
  private async sendFile(path: string): Promise<void> {
    const backend = this.connection;
    if (!backend || (await this.rules.ignores(path))) return;
    const text = await this.textOf(path);
    if (text === undefined) {
      if (!this.acked.has(path)) return;
      const removed = await backend.call(DeleteFileResponse, 'DELETE', filePath(backend.project, path));
      if (!removed.ok) return;
      this.acked.delete(path);
      this.local.delete(path);
      await this.view.forget(path);
      this.noticeIndexChanged(removed.value.revision);
      return;
    }
    const file = localFileOf(text);
    this.local.set(path, file);
    if (this.acked.get(path) === file.hash) return;
    const result = await backend.putFile(path, text);
    if (!result.ok) return;
    this.acked.set(path, file.hash);
    this.view.setDuplicates(result.value);
    this.noticeIndexChanged(result.value.revision);
    // The answer holds the copies; the convention findings (and the team's suppressions) come with GET findings.
    await this.fetchFindings(backend, path);
  }

  private async fetchFindings(backend: BackendConnection, path: string): Promise<void> {
    const query = new URLSearchParams({ file: path });
    const result = await backend.json(
      FileReport,
      'GET',
      `/v1/projects/${encodeURIComponent(backend.project)}/findings?${query.toString()}`,
    );
    if (result.ok) await this.view.setComplete(result.value);
  }

  private async refreshFiles(backend: BackendConnection, files: readonly string[]): Promise<void> {
    const wanted = files.filter((path) => this.settings.publishClosedFiles || this.openDocument(path) !== undefined);
    let next = 0;
    const worker = async () => {
      while (next < wanted.length) await this.fetchFindings(backend, wanted[next++] as string);
    };
    await Promise.all(Array.from({ length: FETCH_CONCURRENCY }, worker));
  }

  /** Fetches a file's complete findings shortly, with others named meanwhile; a sync running refreshes them all anyway. */
  private fetchSoon(path: string): void {
    this.toFetch.add(path);
    this.fetchTimer ??= setTimeout(() => {
      this.fetchTimer = undefined;
      const files = [...this.toFetch];
      this.toFetch.clear();
      const backend = this.connection;
      if (backend && !this.syncRunning) void this.refreshFiles(backend, files);
    }, NOTICE_MS);
  }

  /** The suppressions, then every file's findings (or, with closed files' diagnostics off, the open ones'). */
  async refreshAll(backend: BackendConnection): Promise<void> {
    const project = encodeURIComponent(backend.project);
    const suppressions = await backend.json(SuppressionList, 'GET', `/v1/projects/${project}/suppressions`);
    if (suppressions.ok) await this.view.setSuppressed(suppressions.value.suppressions.map((s) => s.classId));
    if (this.settings.publishClosedFiles) await this.showEveryFile(backend);
    // Open files get their complete findings, with the columns the rename fix needs.
    await this.refreshFiles(backend, await this.openPaths());
  }

  /**
   * Publishes every file's findings a page at a time, keeping none: memory stays flat however large
   * the workspace. Files shown before that no page lists have left the project and are cleared.
   */
  private async showEveryFile(backend: BackendConnection): Promise<void> {
    const unlisted = this.view.shownPaths();
    let revision = 0;
    for await (const page of findingsPages(backend)) {
      if (!page.ok) return;
      for (const report of page.value.files) {
        unlisted.delete(report.file);
        await this.view.setComplete(report);
        this.heap.collectIfGrown();
      }
      revision = page.value.revision;
      this.noticeIndexChanged(revision);
    }
    await this.view.forgetUnlisted(unlisted, revision);
  }

  private async diskChanges(paths: readonly string[]): Promise<void> {
    if (paths.some((path) => path === '.gitignore' || path.endsWith('/.gitignore'))) {
      this.rules = new IgnoreRules(this.root, this.settings.exclude);
      this.resync();
      return;
    }
    if (paths.length > RESYNC_FROM_CHANGES) {
      this.resync();
      return;
    }
    for (const path of paths) {
      if (isAnalysedPath(path)) {
        if (!this.openDocument(path)) this.stream.now(path);
        continue;
      }
      // A folder created, renamed or deleted: its files are easiest found again by manifest.
      const isFolder = await stat(join(this.root, path)).then(
        (info) => info.isDirectory(),
        () => [...this.acked.keys()].some((known) => known.startsWith(`${path}/`)),
      );
      if (isFolder) {
        this.resync();
        return;
      }
    }
  }

  /** Watches the folders ourselves, unless the client watches files for us. */
  private watchDisk(folders: readonly string[]): void {
    if (this.client.watchesFiles) return;
    this.watcher ??= new DiskWatcher(this.root, (paths) => void this.diskChanges(paths));
    if (!this.watcher.watchFolders(folders)) {
      this.lsp.console.warn(`the workspace has too many folders to watch; changes made outside the editor are seen on the next sync`);
    }
  }

  private async openPaths(): Promise<string[]> {
    const paths: string[] = [];
    for (const document of this.documents.all()) {
      const path = this.pathOf(document.uri);
      if (path !== undefined && isAnalysedPath(path) && !(await this.rules.ignores(path))) paths.push(path);
    }
    return paths;
  }

  /** Tells the extension its views may be stale, at most every NOTICE_MS. */
  private noticeIndexChanged(revision: number): void {
    this.lastRevision = Math.max(this.lastRevision, revision);
    if (this.noticeTimer) return;
    this.noticeTimer = setTimeout(() => {
      this.noticeTimer = undefined;
      void this.lsp.sendNotification(IndexChangedNotification.method, { revision: this.lastRevision });
    }, NOTICE_MS);
  }
}
