import { createHash } from 'node:crypto';
import type { ConventionFinding, DuplicateFinding, FileFindings, FileReport, ServerSettings } from '@auxil/protocol';
import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { classIdOf, toDiagnostics } from './diagnostics.js';
import { copyFinding, type CopyRef, type FindingsByFile } from './project-findings.js';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * What the server knows of one file's findings. Copies come either as findings (from the backend's
 * per-file answers) or, after a full refresh, as references into the project's clone classes,
 * whose findings are built when shown: a large workspace's findings then cost little memory.
 */
interface FileState {
  revision: number;
  /** Hash of the content the findings belong to, when known. */
  hash: string | undefined;
  duplicates: readonly DuplicateFinding[] | readonly CopyRef[];
  conventions: readonly ConventionFinding[];
}

const isRef = (copy: DuplicateFinding | CopyRef): copy is CopyRef => 'cloneClass' in copy;
const classOf = (copy: DuplicateFinding | CopyRef): string => (isRef(copy) ? copy.cloneClass.id : classIdOf(copy));

export interface PathMapping {
  pathOf(uri: string): string | undefined;
  uriOf(path: string): string;
}

/**
 * The findings of every file the server knows and the diagnostics published for them. Findings
 * arrive from several places in any order (an upload's answer, pushed events, full refreshes);
 * per file the highest index revision wins, findings for content older than an open editor's are
 * held back, and suppressed clone classes and turned-off kinds never show.
 */
export class FindingsView {
  private readonly files = new Map<string, FileState>();
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
    for (const state of this.files.values()) state.revision = -1;
  }

  configure(settings: ServerSettings): void {
    this.settings = settings;
    void this.publishAll();
  }

  setSuppressed(classIds: Iterable<string>): void {
    this.suppressed = new Set(classIds);
    void this.publishAll();
  }

  get suppressedClasses(): ReadonlySet<string> {
    return this.suppressed;
  }

  /** A file's complete findings (both kinds), e.g. from GET findings. */
  setComplete(findings: FileReport): void {
    void this.set(findings.file, findings.revision, findings.hash, {
      duplicates: findings.findings.filter((f): f is DuplicateFinding => f.kind === 'duplicate'),
      conventions: findings.findings.filter((f): f is ConventionFinding => f.kind === 'convention'),
    });
  }

  /** A file's duplicates only (an upload's answer, a pushed event): its convention findings stay. */
  setDuplicates(findings: FileFindings): void {
    void this.set(findings.file, findings.revision, findings.hash, {
      duplicates: findings.findings.filter((f): f is DuplicateFinding => f.kind === 'duplicate'),
    });
  }

  /**
   * Every file's findings at once, from the project's clone classes and deviations: files not in
   * `byFile` have none.
   */
  async replaceAll(revision: number, byFile: FindingsByFile): Promise<void> {
    for (const path of [...this.files.keys()]) {
      if (!byFile.has(path)) await this.set(path, revision, undefined, { duplicates: [], conventions: [] });
    }
    for (const [path, findings] of byFile)
      await this.set(path, revision, undefined, { duplicates: findings.copies, conventions: findings.conventions });
  }

  /** A file left the workspace (deleted, renamed away, now excluded). */
  forget(path: string): void {
    this.files.delete(path);
    void this.publish(path);
  }

  /** Open and closed editors change what is shown when closed files' diagnostics are off. */
  visibilityChanged(path: string): void {
    void this.publish(path);
  }

  /** The current findings of a file, for the code actions and custom requests. */
  duplicatesOf(path: string): DuplicateFinding[] {
    const copies: readonly (DuplicateFinding | CopyRef)[] = this.files.get(path)?.duplicates ?? [];
    return copies
      .filter((copy) => !this.suppressed.has(classOf(copy)))
      .map((copy) => (isRef(copy) ? copyFinding(copy.cloneClass, copy.index) : copy))
      .sort((a, b) => a.startLine - b.startLine || a.endLine - b.endLine);
  }

  conventionsOf(path: string): readonly ConventionFinding[] {
    return this.files.get(path)?.conventions ?? [];
  }

  knownPaths(): string[] {
    return [...this.files.keys()];
  }

  private set(
    path: string,
    revision: number,
    hash: string | undefined,
    update: Partial<Pick<FileState, 'duplicates' | 'conventions'>>,
  ): Promise<void> {
    const state = this.files.get(path);
    if (state && revision < state.revision) return Promise.resolve();
    const open = this.openDocument(path);
    if (open && hash !== undefined && this.hashOf(open) !== hash) return Promise.resolve();
    this.files.set(path, {
      revision,
      hash,
      duplicates: update.duplicates ?? state?.duplicates ?? [],
      conventions: update.conventions ?? state?.conventions ?? [],
    });
    return this.publish(path);
  }

  /** Publishes every file again, one written before the next (settings or suppressions changed). */
  private async publishAll(): Promise<void> {
    for (const path of new Set([...this.files.keys(), ...this.shown])) await this.publish(path);
  }

  /**
   * Sends a file's diagnostics; the promise settles once they are written, so a caller publishing
   * thousands of files can wait for each instead of queueing them all in memory.
   */
  private publish(path: string): Promise<void> {
    const state = this.files.get(path);
    const open = this.openDocument(path);
    const visible = state !== undefined && (open !== undefined || this.settings.publishClosedFiles);
    const findings = visible ? [...this.duplicatesOf(path), ...state.conventions] : [];
    const diagnostics = toDiagnostics(path, findings, {
      settings: this.settings,
      docsUrl: this.docsUrl,
      uriOf: (other) => this.openDocument(other)?.uri ?? this.paths.uriOf(other),
    });
    if (diagnostics.length === 0 && !this.shown.has(path)) return Promise.resolve();
    if (diagnostics.length === 0) this.shown.delete(path);
    else this.shown.add(path);
    return this.lsp.sendDiagnostics({ uri: open?.uri ?? this.paths.uriOf(path), diagnostics });
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
