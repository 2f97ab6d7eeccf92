import { createHash } from 'node:crypto';
import {
  MAX_FINDINGS_PAGE_OTHERS,
  MAX_FINDINGS_PER_PAGE,
  conventionFinding,
  coveredLines,
  type ClonesPage,
  type ClonesQuery,
  type ConventionsResponse,
  type DeleteFileResponse,
  type FileReport,
  type FindingsPage,
  type FindingsPagesQuery,
  type Finding,
  type ManifestEntry,
  type ManifestResponse,
  type ProjectInfo,
  type ProjectSummary,
  type PutFileResponse,
  type SimilarRequest,
  type SimilarResponse,
  type SymbolsQuery,
  type SymbolsResponse,
  type UploadLine,
  type UploadResponse,
} from '@auxil/protocol';
import { languageForPath, prepareFile, type CloneClass, type SymbolKind } from '../engine/index.js';
import { AuxilError } from '../errors.js';
import type { Services } from '../services.js';
import type { Project, TenantStore } from '../store/store.js';
import type { IndexChange, ProjectIndex } from './project-index.js';

/** Per-file findings pushed one by one up to this many affected files; beyond, one index-changed event. */
const MAX_FINDINGS_EVENTS = 200;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** A file body as text; anything but UTF-8 is refused with a message saying so. */
export function decodeUtf8(content: Uint8Array): string {
  try {
    return utf8.decode(content);
  } catch {
    throw new AuxilError('invalid_encoding', 'the file content is not valid UTF-8; Auxil analyses UTF-8 text files only');
  }
}

/** The project a URL names, by id or by name, within the tenant only. */
export async function resolveProject(tenant: TenantStore, ref: string): Promise<Project> {
  const project = (await tenant.projects.get(ref)) ?? (await tenant.projects.findByName(ref));
  if (!project) throw new AuxilError('not_found', `no project "${ref}" (by id or name) in this tenant; create it with POST /v1/projects`);
  return project;
}

async function projectInfo(tenant: TenantStore, project: Project): Promise<ProjectInfo> {
  const [revision, files] = await Promise.all([tenant.files.revision(project.id), tenant.files.count(project.id)]);
  return { id: project.id, name: project.name, createdAt: project.createdAt, revision, files };
}

/** The project and its index, brought up to date with the store (another process may have written). */
async function openIndex(
  services: Services,
  tenantId: string,
  ref: string,
  create = false,
): Promise<{ project: Project; index: ProjectIndex }> {
  const tenant = services.store.forTenant(tenantId);
  // Uploads may name a project that does not exist yet (by name): it is created, as a client's first sync expects.
  const project = create ? ((await tenant.projects.get(ref)) ?? (await tenant.projects.ensure(ref))) : await resolveProject(tenant, ref);
  return { project, index: await services.indexes.get(tenantId, project) };
}

/** Tells the project's subscribers what a change did: each affected file's findings, or that many changed. */
function publish(services: Services, tenantId: string, index: ProjectIndex, change: IndexChange | undefined, skip?: string): void {
  if (!change) return;
  const project = index.project.name;
  if (!services.push.hasSubscribers(tenantId, project)) return;
  const affected = change.affected;
  if (!affected || affected.size > MAX_FINDINGS_EVENTS) {
    services.push.publish(tenantId, project, { type: 'index-changed', project, revision: change.revision });
    return;
  }
  for (const path of affected) {
    if (path === skip) continue;
    const findings = index.findingsOf(path);
    if (findings) services.push.publish(tenantId, project, { type: 'findings', project, ...findings });
  }
}

/** How many files other than `path` a change affected (0 after a bulk change, which names none). */
function othersAffected(change: IndexChange | undefined, path: string): number {
  const affected = change?.affected;
  return affected ? affected.size - (affected.has(path) ? 1 : 0) : 0;
}

/** Runs a read against the project's index once it reflects every acknowledged write. */
async function read<T>(services: Services, tenantId: string, ref: string, answer: (index: ProjectIndex) => T): Promise<T> {
  const { index } = await openIndex(services, tenantId, ref);
  return index.exclusive(async () => {
    publish(services, tenantId, index, await index.catchUp());
    await index.settle();
    return answer(index);
  });
}

export async function createProject(services: Services, tenantId: string, name: string): Promise<ProjectInfo> {
  const tenant = services.store.forTenant(tenantId);
  return projectInfo(tenant, await tenant.projects.create(name));
}

export async function listProjects(services: Services, tenantId: string): Promise<ProjectInfo[]> {
  const tenant = services.store.forTenant(tenantId);
  return Promise.all((await tenant.projects.list()).map((project) => projectInfo(tenant, project)));
}

export async function getProject(services: Services, tenantId: string, ref: string): Promise<ProjectInfo> {
  const tenant = services.store.forTenant(tenantId);
  return projectInfo(tenant, await resolveProject(tenant, ref));
}

export async function deleteProject(services: Services, tenantId: string, ref: string): Promise<void> {
  const tenant = services.store.forTenant(tenantId);
  const project = await resolveProject(tenant, ref);
  await tenant.projects.remove(project.id);
  services.indexes.drop(tenantId, project.id);
}

/**
 * Content-addressed sync: the client lists every file with its hash; files whose content the
 * tenant already has (at any path) are taken from the store, paths the manifest no longer lists
 * are removed, and the answer names the paths whose content must be uploaded.
 */
export async function syncManifest(
  services: Services,
  tenantId: string,
  ref: string,
  entries: readonly ManifestEntry[],
): Promise<ManifestResponse> {
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.path)) throw new AuxilError('invalid_request', `the manifest lists "${entry.path}" twice; list each path once`);
    seen.add(entry.path);
  }
  const { project, index } = await openIndex(services, tenantId, ref, true);
  const files = services.store.forTenant(tenantId).files;
  return index.exclusive(async () => {
    publish(services, tenantId, index, await index.catchUp());
    const changed = entries.filter((entry) => index.hashOf(entry.path) !== entry.hash);
    const removes = [...index.paths()].filter((path) => !seen.has(path));
    const absent = new Set(await files.missingContents([...new Set(changed.map((entry) => entry.hash))]));
    const missing = changed.filter((entry) => absent.has(entry.hash)).map((entry) => entry.path);
    const linkable: { path: string; hash: string; text: string }[] = [];
    const contents = new Map<string, string | undefined>();
    for (const entry of changed) {
      if (absent.has(entry.hash)) continue;
      if (!contents.has(entry.hash)) contents.set(entry.hash, await files.content(entry.hash));
      const text = contents.get(entry.hash);
      if (text === undefined) missing.push(entry.path);
      else linkable.push({ path: entry.path, hash: entry.hash, text });
    }
    let revision = index.currentRevision;
    if (linkable.length > 0 || removes.length > 0) {
      const prepared = await index.prepareMany(linkable);
      revision = await files.apply(project.id, { writes: prepared.map((file) => index.toWrite(file)), removes });
      const change = await index.applyWritten(prepared, removes, revision);
      publish(services, tenantId, index, change);
    }
    missing.sort();
    return { missing, linked: linkable.length, removed: removes.length, revision };
  });
}

/** Stores many files' contents at once (one revision) and indexes them. Nothing is stored if any line is bad. */
export async function uploadBatch(
  services: Services,
  tenantId: string,
  ref: string,
  lines: readonly UploadLine[],
): Promise<UploadResponse> {
  const seen = new Set<string>();
  const incoming: { path: string; hash: string; text: string }[] = [];
  for (const line of lines) {
    if (seen.has(line.path)) throw new AuxilError('invalid_request', `the upload holds "${line.path}" twice; send each path once`);
    seen.add(line.path);
    const hash = sha256(line.content);
    if (line.hash !== undefined && line.hash !== hash) {
      throw new AuxilError('invalid_request', `the content sent for "${line.path}" does not match its hash; nothing was stored`);
    }
    if (Buffer.byteLength(line.content) > services.config.maxFileBytes) {
      throw new AuxilError(
        'payload_too_large',
        `"${line.path}" is larger than ${services.config.maxFileBytes} bytes; leave it out of the upload`,
      );
    }
    incoming.push({ path: line.path, hash, text: line.content });
  }
  const { project, index } = await openIndex(services, tenantId, ref, true);
  const files = services.store.forTenant(tenantId).files;
  return index.exclusive(async () => {
    publish(services, tenantId, index, await index.catchUp());
    const changed = incoming.filter((file) => index.hashOf(file.path) !== file.hash);
    let revision = index.currentRevision;
    if (changed.length > 0) {
      const prepared = await index.prepareMany(changed);
      revision = await files.apply(project.id, { writes: prepared.map((file) => index.toWrite(file)), removes: [] });
      publish(services, tenantId, index, await index.applyWritten(prepared, [], revision));
    }
    return { stored: changed.length, unchanged: incoming.length - changed.length, revision };
  });
}

/**
 * Stores one file's new content, updates the project's live index for that file only, and pushes
 * fresh findings to every subscriber for each other file the change affected. Re-sending content
 * the backend already has costs a hash and a lookup, nothing more.
 */
export async function putFile(
  services: Services,
  tenantId: string,
  ref: string,
  path: string,
  content: Uint8Array,
): Promise<PutFileResponse> {
  const text = decodeUtf8(content);
  const hash = sha256(content);
  const { project, index } = await openIndex(services, tenantId, ref, true);
  const files = services.store.forTenant(tenantId).files;
  const { answer, change } = await index.exclusive(async () => {
    publish(services, tenantId, index, await index.catchUp());
    let change: IndexChange | undefined;
    if (index.hashOf(path) !== hash) {
      const prepared = index.prepareOne(path, hash, text);
      const revision = await files.apply(project.id, { writes: [index.toWrite(prepared)], removes: [] });
      change = await index.applyWritten([prepared], [], revision);
    }
    await index.settle();
    const own = index.findingsOf(path);
    if (!own) throw new Error(`index lost ${path} right after storing it`);
    return { answer: { ...own, affected: othersAffected(change, path) }, change };
  });
  publishLater(services, tenantId, index, change);
  return answer;
}

/**
 * Pushes a change's findings once the writer has its answer: the editor waiting on a keystroke's
 * findings does not wait for a large class's other files. Queued on the index like any task, so
 * the findings pushed are the index's state then, in order with later changes.
 */
function publishLater(services: Services, tenantId: string, index: ProjectIndex, change: IndexChange | undefined, skip?: string): void {
  if (!change) return;
  setImmediate(() => {
    index
      .exclusive(() => {
        publish(services, tenantId, index, change, skip);
        return Promise.resolve();
      })
      .catch((error: unknown) => services.logger.warn({ err: error, project: index.project.name }, 'pushing findings failed'));
  });
}

export async function deleteFile(services: Services, tenantId: string, ref: string, path: string): Promise<DeleteFileResponse> {
  const { project, index } = await openIndex(services, tenantId, ref);
  const files = services.store.forTenant(tenantId).files;
  return index.exclusive(async () => {
    publish(services, tenantId, index, await index.catchUp());
    if (index.hashOf(path) === undefined) return { removed: false, affected: 0, revision: index.currentRevision };
    const revision = await files.apply(project.id, { writes: [], removes: [path] });
    const change = await index.applyWritten([], [path], revision);
    publishLater(services, tenantId, index, change, path);
    return { removed: true, affected: othersAffected(change, path), revision };
  });
}

function toClassInfo(cloneClass: CloneClass): ClonesPage['classes'][number] {
  return {
    id: cloneClass.id,
    type: cloneClass.type,
    similarity: Math.round(cloneClass.similarity * 1000) / 1000,
    tokens: cloneClass.tokens,
    lines: cloneClass.lines,
    fragments: cloneClass.fragments.map((fragment) => ({ file: fragment.path, startLine: fragment.startLine, endLine: fragment.endLine })),
  };
}

/** Clone classes, largest first, filtered and paged (the cursor is the offset of the next page). */
export function listClones(services: Services, tenantId: string, ref: string, query: ClonesQuery): Promise<ClonesPage> {
  return read(services, tenantId, ref, (index) => {
    let classes = query.file !== undefined ? index.model.classesOf(query.file) : index.classes();
    const folder = query.folder?.replace(/\/+$/, '');
    if (folder) classes = classes.filter((c) => c.fragments.some((f) => f.path.startsWith(`${folder}/`)));
    if (query.type !== undefined) {
      const type = Number(query.type);
      classes = classes.filter((c) => c.type === type);
    }
    let offset = 0;
    if (query.cursor !== undefined) {
      if (!/^\d{1,9}$/.test(query.cursor))
        throw new AuxilError('invalid_request', 'the cursor is not one this API returned; start again without it');
      offset = Number(query.cursor);
    }
    const page = classes.slice(offset, offset + query.limit);
    const next = offset + page.length;
    return {
      classes: page.map(toClassInfo),
      total: classes.length,
      ...(next < classes.length ? { nextCursor: String(next) } : {}),
      revision: index.currentRevision,
    };
  });
}

/** The class ids the team suppressed in a project: their copies leave every findings answer. */
async function suppressedClasses(services: Services, tenantId: string, ref: string): Promise<Set<string>> {
  const tenant = services.store.forTenant(tenantId);
  return new Set((await tenant.suppressions.list((await resolveProject(tenant, ref)).id)).map((s) => s.classId));
}

/** A file's copies (without suppressed classes) and its convention deviations, by line; undefined for a file not in the index. */
function reportOf(index: ProjectIndex, path: string, suppressed: ReadonlySet<string>): FileReport | undefined {
  const own = index.findingsOf(path);
  if (!own) return undefined;
  const duplicates = own.findings.filter((finding) => !suppressed.has(finding.id.slice(0, finding.id.indexOf(':'))));
  const conventions = index.model.deviations(path).map(conventionFinding);
  const findings = [...duplicates, ...conventions].sort((a, b) => a.startLine - b.startLine || a.endLine - b.endLine);
  return { ...own, findings };
}

/**
 * A file's findings: its copies (without the clone classes the team suppressed) and its deviations
 * from the codebase's conventions, by line.
 */
export async function fileFindings(services: Services, tenantId: string, ref: string, path: string): Promise<FileReport> {
  const suppressed = await suppressedClasses(services, tenantId, ref);
  return read(services, tenantId, ref, (index) => {
    const report = reportOf(index, path, suppressed);
    if (!report) throw new AuxilError('not_found', `the project has no file "${path}"`);
    return report;
  });
}

/** A finding as a page lists it: at most MAX_FINDINGS_PAGE_OTHERS other copies, the first ones, which its message names. */
function withFewerOthers(finding: Finding): Finding {
  return finding.kind === 'duplicate' && finding.others.length > MAX_FINDINGS_PAGE_OTHERS
    ? { ...finding, others: finding.others.slice(0, MAX_FINDINGS_PAGE_OTHERS) }
    : finding;
}

/** The first `limit` of the sorted paths after `after`, and whether more follow. */
function pathsAfter(paths: readonly string[], after: string | undefined, limit: number): { page: string[]; more: boolean } {
  let low = 0;
  let high = paths.length;
  while (after !== undefined && low < high) {
    const middle = (low + high) >>> 1;
    if ((paths[middle] as string) <= after) low = middle + 1;
    else high = middle;
  }
  return { page: paths.slice(low, low + limit), more: low + limit < paths.length };
}

/**
 * Every file's findings (as `fileFindings` builds them), a page of files at a time in path order.
 * The cursor is the last path of the previous page, so files added or removed between pages shift
 * nothing; each page reflects the index as it is when that page is asked for. A page ends early
 * once it holds MAX_FINDINGS_PER_PAGE findings (but always has one file), so files with thousands
 * of findings cannot make one answer huge.
 */
export async function findingsPage(services: Services, tenantId: string, ref: string, query: FindingsPagesQuery): Promise<FindingsPage> {
  const suppressed = await suppressedClasses(services, tenantId, ref);
  return read(services, tenantId, ref, (index) => {
    const { page, more } = pathsAfter(index.sortedPaths(), query.cursor, query.limit);
    const files: FileReport[] = [];
    let [taken, findings] = [0, 0];
    for (const path of page) {
      if (taken > 0 && findings >= MAX_FINDINGS_PER_PAGE) break;
      taken++;
      const report = reportOf(index, path, suppressed);
      if (!report) continue;
      files.push({ ...report, findings: report.findings.map(withFewerOthers) });
      findings += report.findings.length;
    }
    const last = page[taken - 1];
    const next = more || taken < page.length;
    return { files, ...(next && last !== undefined ? { nextCursor: last } : {}), revision: index.currentRevision };
  });
}

export function searchSymbols(services: Services, tenantId: string, ref: string, query: SymbolsQuery): Promise<SymbolsResponse> {
  return read(services, tenantId, ref, (index) => ({
    symbols: index.model
      .searchSymbols(query.q, { limit: query.limit, ...(query.kind ? { kinds: [query.kind as SymbolKind] } : {}) })
      .map((match) => ({
        name: match.symbol.name,
        kind: match.symbol.kind,
        file: match.path,
        startLine: match.symbol.startLine,
        endLine: match.symbol.endLine,
        exported: match.symbol.exported,
        ...(match.symbol.container !== undefined ? { container: match.symbol.container } : {}),
        score: Math.round(match.score * 1000) / 1000,
      })),
  }));
}

/** Clone classes by size in lines, for the summary: each bucket holds sizes up to `upTo`. */
const SIZE_BUCKETS: readonly { label: string; upTo: number }[] = [
  { label: '< 10 lines', upTo: 9 },
  { label: '10–19 lines', upTo: 19 },
  { label: '20–49 lines', upTo: 49 },
  { label: '50–99 lines', upTo: 99 },
  { label: '100+ lines', upTo: Number.POSITIVE_INFINITY },
];
/** Files listed as the most duplicated in a summary. */
const HOT_FILES = 10;

/** Per file, the lines inside its copies and the classes that have one there. */
function duplicationByFile(classes: readonly CloneClass[]): Map<string, { duplicatedLines: number; classes: number }> {
  const spans = new Map<string, { spans: [number, number][]; classes: number }>();
  for (const cloneClass of classes) {
    const seen = new Set<string>();
    for (const fragment of cloneClass.fragments) {
      const entry = spans.get(fragment.path) ?? { spans: [], classes: 0 };
      entry.spans.push([fragment.startLine, fragment.endLine]);
      if (!seen.has(fragment.path)) entry.classes++;
      seen.add(fragment.path);
      spans.set(fragment.path, entry);
    }
  }
  const byFile = new Map<string, { duplicatedLines: number; classes: number }>();
  for (const [path, entry] of spans) byFile.set(path, { duplicatedLines: coveredLines(entry.spans), classes: entry.classes });
  return byFile;
}

/** The project's health now, without the classes the team suppressed (what a dashboard shows). */
export async function projectSummary(services: Services, tenantId: string, ref: string): Promise<ProjectSummary> {
  const suppressed = await suppressedClasses(services, tenantId, ref);
  return read(services, tenantId, ref, (index) => {
    const classes = index.classes().filter((cloneClass) => !suppressed.has(cloneClass.id));
    const byFile = duplicationByFile(classes);
    let duplicatedLines = 0;
    for (const file of byFile.values()) duplicatedLines += file.duplicatedLines;
    const lines = index.model.clones.lineCount();
    let conventionFindings = 0;
    for (const path of index.paths()) conventionFindings += index.model.deviations(path).length;
    const byType = { type1: 0, type2: 0, type3: 0 };
    for (const cloneClass of classes) byType[`type${cloneClass.type}`]++;
    return {
      files: index.model.size,
      lines,
      duplicatedLines,
      duplicationPercent: lines === 0 ? 0 : Math.round((duplicatedLines * 10_000) / lines) / 100,
      cloneClasses: classes.length,
      byType,
      bySize: SIZE_BUCKETS.map((bucket, n) => {
        const above = n === 0 ? 0 : (SIZE_BUCKETS[n - 1] as { upTo: number }).upTo;
        return { label: bucket.label, count: classes.filter((c) => c.lines > above && c.lines <= bucket.upTo).length };
      }),
      hotFiles: [...byFile]
        .sort((a, b) => b[1].duplicatedLines - a[1].duplicatedLines || (a[0] < b[0] ? -1 : 1))
        .slice(0, HOT_FILES)
        .map(([file, stats]) => ({ file, ...stats })),
      conventionFindings,
      revision: index.currentRevision,
    };
  });
}

/** Most deviations listed in one answer. */
const MAX_DEVIATIONS = 500;

export function getConventions(services: Services, tenantId: string, ref: string, file?: string): Promise<ConventionsResponse> {
  return read(services, tenantId, ref, (index) => {
    const deviations: ConventionsResponse['deviations'] = [];
    const paths = file !== undefined ? [file] : index.sortedPaths();
    for (const path of paths) {
      for (const finding of index.model.deviations(path)) {
        if (deviations.length === MAX_DEVIATIONS) break;
        deviations.push({
          file: finding.path,
          line: finding.line,
          conventionId: finding.conventionId,
          expected: finding.expected,
          actual: finding.actual,
          message: finding.message,
        });
      }
    }
    return {
      conventions: index.model
        .conventions()
        .map((c) => ({ id: c.id, rule: c.rule, expected: c.expected, count: c.count, total: c.total, share: c.share })),
      deviations,
      revision: index.currentRevision,
    };
  });
}

/** A language id or a file name (whose extension tells the language) → a path the engine can read. */
function snippetPath(language: string): string {
  const lower = language.trim().toLowerCase();
  const byId: Partial<Record<string, string>> = {
    typescript: 'snippet.ts',
    ts: 'snippet.ts',
    tsx: 'snippet.tsx',
    typescriptreact: 'snippet.tsx',
    javascript: 'snippet.js',
    js: 'snippet.js',
    jsx: 'snippet.jsx',
    javascriptreact: 'snippet.jsx',
    python: 'snippet.py',
    java: 'snippet.java',
    go: 'snippet.go',
    csharp: 'snippet.cs',
    'c#': 'snippet.cs',
    c: 'snippet.c',
    cpp: 'snippet.cpp',
    'c++': 'snippet.cpp',
    rust: 'snippet.rs',
    kotlin: 'snippet.kt',
    php: 'snippet.php',
    ruby: 'snippet.rb',
  };
  const path = byId[lower] ?? (lower.includes('.') ? `snippet${lower.slice(lower.lastIndexOf('.'))}` : undefined);
  if (path === undefined || languageForPath(path) === undefined) {
    throw new AuxilError(
      'invalid_request',
      `unknown language "${language}"; use typescript, javascript, python, java, go, csharp, c, cpp, rust, kotlin, php or ruby (or a file name such as util.ts)`,
    );
  }
  return path;
}

export function findSimilar(services: Services, tenantId: string, ref: string, request: SimilarRequest): Promise<SimilarResponse> {
  const path = snippetPath(request.language);
  return read(services, tenantId, ref, (index) => {
    const record = prepareFile(path, request.code, { minTokens: index.model.clones.options.minTokens, symbols: false });
    const matches = record
      ? index.model.similarTo(record, { limit: request.limit, ...(request.excludeFile ? { excludePath: request.excludeFile } : {}) })
      : [];
    return {
      matches: matches.map((match) => ({
        file: match.path,
        startLine: match.startLine,
        endLine: match.endLine,
        type: match.type,
        similarity: Math.round(match.similarity * 1000) / 1000,
        tokens: match.tokens,
      })),
      revision: index.currentRevision,
    };
  });
}
