import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { StatusNotification, type FileFindings, type ServerSettings } from '@auxil/protocol';
import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { BackendConnection } from './backend-connection.js';
import { toDiagnostics } from './diagnostics.js';
import { isAnalysedPath, projectPathOf, scanWorkspace } from './workspace-files.js';

/** Uploads running at once during a workspace sync. */
const SYNC_CONCURRENCY = 4;

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The project name a workspace folder gets when the settings name none. */
export function defaultProjectName(root: string): string {
  const name = basename(root)
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 100);
  return name === '' ? 'workspace' : name;
}

/**
 * Keeps one workspace folder in sync with its project on the backend and shows the backend's
 * findings as diagnostics. Edits are debounced per file and sent one at a time per file, so the
 * latest version always wins; after every (re)connection the whole workspace is sent again,
 * which the backend answers cheaply for content it already has.
 */
export class WorkspaceSync {
  private backend: BackendConnection | undefined;
  private readonly debounceTimers = new Map<string, NodeJS.Timeout>();
  private readonly sending = new Map<string, Promise<void>>();
  /** Highest index revision shown per file on the current connection. */
  private readonly revisions = new Map<string, number>();
  private settings: ServerSettings;

  constructor(
    private readonly lsp: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly root: string,
    settings: ServerSettings,
  ) {
    this.settings = settings;
  }

  /** (Re)connects with new settings, e.g. after the user set a token. */
  configure(settings: ServerSettings): void {
    this.settings = settings;
    this.backend?.dispose();
    const project = settings.project ?? defaultProjectName(this.root);
    const backend = new BackendConnection(settings, project, {
      status: (state, detail) => {
        void this.lsp.sendNotification(StatusNotification.method, { state, detail, project, serverUrl: settings.serverUrl });
      },
      subscribed: () => {
        // A new connection may be to a restarted backend whose revisions start again.
        this.revisions.clear();
        void this.syncWorkspace(backend);
      },
      findings: (event) => this.show(event),
      log: (message) => this.lsp.console.log(message),
    });
    this.backend = backend;
    backend.start();
  }

  /** An open document changed: send it once the user pauses typing. */
  changed(document: TextDocument): void {
    const path = this.pathOf(document.uri);
    if (path === undefined || !isAnalysedPath(path)) return;
    clearTimeout(this.debounceTimers.get(path));
    this.debounceTimers.set(
      path,
      setTimeout(() => {
        this.debounceTimers.delete(path);
        void this.send(path);
      }, this.settings.debounceMs),
    );
  }

  /** A document was closed: the file on disk is the truth again (unsaved edits were discarded). */
  closed(document: TextDocument): void {
    const path = this.pathOf(document.uri);
    if (path !== undefined && isAnalysedPath(path)) void this.send(path);
  }

  /** Files changed on disk (saved elsewhere, checked out): resend those not open in the editor. */
  changedOnDisk(uris: readonly string[]): void {
    for (const uri of uris) {
      const path = this.pathOf(uri);
      if (path !== undefined && isAnalysedPath(path) && !this.openDocument(path)) void this.send(path);
    }
  }

  dispose(): void {
    for (const timer of this.debounceTimers.values()) clearTimeout(timer);
    this.debounceTimers.clear();
    this.backend?.dispose();
    this.backend = undefined;
  }

  private async syncWorkspace(backend: BackendConnection): Promise<void> {
    const scan = await scanWorkspace(this.root);
    if (scan.truncated)
      this.lsp.console.warn(`the workspace has more files than Auxil syncs; only the first ${scan.files.length} were sent`);
    const queue = [...new Set([...scan.files, ...this.openPaths()])];
    const worker = async (): Promise<void> => {
      for (let path = queue.shift(); path !== undefined && backend.connected && this.backend === backend; path = queue.shift()) {
        await this.send(path);
      }
    };
    await Promise.all(Array.from({ length: SYNC_CONCURRENCY }, worker));
  }

  /** Sends one file's current text; sends of the same file never overlap, so the last one wins. */
  private send(path: string): Promise<void> {
    const previous = this.sending.get(path) ?? Promise.resolve();
    const next = previous.then(async () => {
      const backend = this.backend;
      if (!backend?.connected) return;
      const text = this.openDocument(path)?.getText() ?? (await readFile(`${this.root}/${path}`, 'utf8').catch(() => undefined));
      if (text === undefined) return;
      const result = await backend.putFile(path, text);
      if (result.ok) this.show(result.value);
    });
    this.sending.set(path, next);
    void next.finally(() => {
      if (this.sending.get(path) === next) this.sending.delete(path);
    });
    return next;
  }

  /**
   * Publishes findings unless they are older than what is shown (an upload's answer can arrive
   * after an event computed later) or the editor already holds newer text for that file.
   */
  private show(findings: FileFindings): void {
    if (findings.revision < (this.revisions.get(findings.file) ?? -1)) return;
    const open = this.openDocument(findings.file);
    if (open && sha256(open.getText()) !== findings.hash) return;
    this.revisions.set(findings.file, findings.revision);
    void this.lsp.sendDiagnostics({
      uri: open?.uri ?? this.uriOf(findings.file),
      diagnostics: toDiagnostics(findings.findings, (path) => this.openDocument(path)?.uri ?? this.uriOf(path)),
    });
  }

  private openPaths(): string[] {
    return this.documents
      .all()
      .map((document) => this.pathOf(document.uri))
      .filter((path): path is string => path !== undefined && isAnalysedPath(path));
  }

  private openDocument(path: string): TextDocument | undefined {
    return this.documents.all().find((document) => this.pathOf(document.uri) === path);
  }

  private pathOf(uri: string): string | undefined {
    if (!uri.startsWith('file:')) return undefined;
    return projectPathOf(this.root, fileURLToPath(uri));
  }

  private uriOf(path: string): string {
    return pathToFileURL(`${this.root}/${path}`).href;
  }
}
