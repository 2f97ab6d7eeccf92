import { createHash } from 'node:crypto';
import type { ConventionFinding, DuplicateFinding, FileFindings, FileReport, Finding, ServerSettings } from '@auxil/protocol';
import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { classIdOf, toDiagnostics } from './diagnostics.js';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The findings of a file open in the editor, kept to republish it when settings or suppressions change. */
interface OpenFindings {
  duplicates: readonly DuplicateFinding[];
  conventions: readonly ConventionFinding[];
}

export interface PathMapping {
  pathOf(uri: string): string | undefined;
  uriOf(path: string): string;
}

/**
 * The diagnostics published for the workspace's files. Findings arrive from several places in any
 * order (an upload's answer, pushed events, pages of a full refresh); per file the highest index
 * revision wins, findings for content older than an open editor's are held back, and suppressed
 * clone classes and turned-off kinds never show.
 *
 * Only open files' findings are kept. A closed file's are published and dropped, so a workspace of
 * tens of thousands of files costs a revision and, while shown, a path each; when settings or
 * suppressions change, closed files are fetched again (see WorkspaceSync.refreshAll).
 */
export class FindingsView {
  /** The revision of the findings last applied per file, on the current connection. */
  private readonly revisions = new Map<string, number>();
  private readonly open = new Map<string, OpenFindings>();
  /** Paths whose diagnostics are currently non-empty in the editor. */
  private readonly shown = new Set<string>();
  private suppressed = new Set<string>();
  private readonly textHashes = new WeakMap<TextDocument, { version: number; hash: string }>();

  constructor(
    private readonly lsp: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly paths: PathMapping,
    private settings: ServerSettings,
    private readonly docsUrl: string | undefined,
  ) {}

  /** A new connection: revisions start again (the backend may have restarted). */
  resetRevisions(): void {
    this.revisions.clear();
  }

  /**
   * New settings: open files are republished from memory. Closed files' diagnostics are cleared
   * when they are no longer wanted; otherwise the caller fetches them again if they may differ.
   */
  async configure(settings: ServerSettings): Promise<void> {
    this.settings = settings;
    await this.publishOpen();
    if (!settings.publishClosedFiles) {
      for (const path of [...this.shown]) if (!this.openDocument(path)) await this.clear(path);
    }
  }

  /** The team's suppressions: open files are republished; closed files come again with the next refresh. */
  async setSuppressed(classIds: Iterable<string>): Promise<void> {
    this.suppressed = new Set(classIds);
    await this.publishOpen();
  }

  get suppressedClasses(): ReadonlySet<string> {
    return this.suppressed;
  }

  /** A file's complete findings (both kinds), from GET findings or a page of every file's. */
  setComplete(report: FileReport): Promise<void> {
    return this.set(report.file, report.revision, report.hash, {
      duplicates: report.findings.filter((f): f is DuplicateFinding => f.kind === 'duplicate'),
      conventions: report.findings.filter((f): f is ConventionFinding => f.kind === 'convention'),
    });
  }

  /**
   * A file's duplicates only (an upload's answer, a pushed event), applied to an open file, whose
   * convention findings stay. Returns false for a closed file: its convention findings are not
   * kept, so the caller fetches its complete findings instead.
   */
  setDuplicates(findings: FileFindings): boolean {
    const known = this.open.get(findings.file);
    if (!known || !this.openDocument(findings.file)) return false;
    const duplicates = findings.findings.filter((f): f is DuplicateFinding => f.kind === 'duplicate');
    void this.set(findings.file, findings.revision, findings.hash, { duplicates, conventions: known.conventions });
    return true;
  }

  /** A file left the workspace (deleted, renamed away, now excluded). */
  forget(path: string): Promise<void> {
    this.revisions.delete(path);
    this.open.delete(path);
    return this.clear(path);
  }

  /** The paths shown now: a full refresh forgets those its pages do not list. */
  shownPaths(): Set<string> {
    return new Set(this.shown);
  }

  /** Files a full refresh did not list have left the project, unless findings newer than its last page came meanwhile. */
  async forgetUnlisted(paths: Iterable<string>, revision: number): Promise<void> {
    for (const path of paths) if ((this.revisions.get(path) ?? -1) <= revision) await this.forget(path);
  }

  /**
   * A document was closed: its diagnostics go to the file's own URI (or away, when closed files show
   * none) and its findings are no longer kept. Its content is the disk's again; a differing one is
   * being sent, and its answer follows.
   */
  async closedInEditor(path: string): Promise<void> {
    const findings = this.open.get(path);
    this.open.delete(path);
    if (!this.settings.publishClosedFiles) await this.clear(path);
    else if (findings) await this.publish(path, undefined, [...findings.duplicates, ...findings.conventions]);
  }

  private set(path: string, revision: number, hash: string | undefined, findings: OpenFindings): Promise<void> {
    if (revision < (this.revisions.get(path) ?? -1)) return Promise.resolve();
    const document = this.openDocument(path);
    if (document && hash !== undefined && this.hashOf(document) !== hash) return Promise.resolve();
    this.revisions.set(path, revision);
    if (document) this.open.set(path, findings);
    else if (!this.settings.publishClosedFiles) return this.clear(path);
    return this.publish(path, document, [...findings.duplicates, ...findings.conventions]);
  }

  /** Publishes every open file again, one written before the next. */
  private async publishOpen(): Promise<void> {
    for (const [path, findings] of [...this.open]) {
      const document = this.openDocument(path);
      if (document) await this.publish(path, document, [...findings.duplicates, ...findings.conventions]);
    }
  }

  private clear(path: string): Promise<void> {
    return this.publish(path, this.openDocument(path), []);
  }

  /**
   * Sends a file's diagnostics; the promise settles once they are written, so a caller publishing
   * thousands of files can wait for each instead of queueing them all in memory.
   */
  private publish(path: string, document: TextDocument | undefined, findings: readonly Finding[]): Promise<void> {
    const visible = findings.filter((finding) => finding.kind !== 'duplicate' || !this.suppressed.has(classIdOf(finding)));
    const diagnostics = toDiagnostics(path, visible, {
      settings: this.settings,
      docsUrl: this.docsUrl,
      uriOf: (other) => this.openDocument(other)?.uri ?? this.paths.uriOf(other),
    });
    if (diagnostics.length === 0 && !this.shown.has(path)) return Promise.resolve();
    if (diagnostics.length === 0) this.shown.delete(path);
    else this.shown.add(path);
    return this.lsp.sendDiagnostics({ uri: document?.uri ?? this.paths.uriOf(path), diagnostics });
  }

  private openDocument(path: string): TextDocument | undefined {
    return this.documents.all().find((document) => this.paths.pathOf(document.uri) === path);
  }

  private hashOf(document: TextDocument): string {
    const cached = this.textHashes.get(document);
    if (cached?.version === document.version) return cached.hash;
    const hash = sha256(document.getText());
    this.textHashes.set(document, { version: document.version, hash });
    return hash;
  }
}
