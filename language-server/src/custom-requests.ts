import {
  ClonesPage,
  ConventionsRequest,
  RemoveSuppressionResponse,
  SimilarResponse,
  StartAnalysisResponse,
  SuppressionInfo,
  TrendResponse,
  coveredLines,
  suppressionPath,
  type CloneClassesParams,
  type CloneClassesResult,
  type ConventionsResult,
  type FindSimilarParams,
  type FindSimilarResult,
  type ProjectSummaryResult,
} from '@auxil/protocol';
import { ResponseError, ErrorCodes, LSPErrorCodes } from 'vscode-languageserver';
import type { BackendConnection, CallResult } from './backend-connection.js';
import { allClasses, conventions, type CloneClass } from './project-findings.js';
import type { WorkspaceSync } from './workspace-sync.js';

/** The summary's class-size buckets, by lines. */
const SIZE_BUCKETS: readonly { label: string; upTo: number }[] = [
  { label: '< 10 lines', upTo: 9 },
  { label: '10–19 lines', upTo: 19 },
  { label: '20–49 lines', upTo: 49 },
  { label: '50–99 lines', upTo: 99 },
  { label: '100+ lines', upTo: Number.POSITIVE_INFINITY },
];
const HOT_FILES = 10;
const EXCERPT_LINES = 3;

const projectUrl = (backend: BackendConnection, rest: string): string => `/v1/projects/${encodeURIComponent(backend.project)}/${rest}`;

/** The connection, or the LSP error a request answers with while there is none. */
function connected(sync: WorkspaceSync): BackendConnection {
  const backend = sync.connection;
  if (!backend) throw new ResponseError(LSPErrorCodes.ServerCancelled, 'Auxil is not connected to its backend; see the status bar');
  return backend;
}

/** A failed backend call as an LSP error: cancelled when the client cancelled, else the backend's words. */
function unwrap<T>(result: CallResult<T>, signal: AbortSignal): T {
  if (result.ok) return result.value;
  if (signal.aborted) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
  throw new ResponseError(result.reason === 'offline' ? LSPErrorCodes.ServerCancelled : ErrorCodes.InvalidParams, result.detail);
}

export async function cloneClasses(sync: WorkspaceSync, params: CloneClassesParams, signal: AbortSignal): Promise<CloneClassesResult> {
  const backend = connected(sync);
  const query = new URLSearchParams({
    limit: String(params.limit ?? 100),
    ...(params.cursor ? { cursor: params.cursor } : {}),
    ...(params.file ? { file: params.file } : {}),
  });
  const page = unwrap(await backend.json(ClonesPage, 'GET', projectUrl(backend, `clones?${query.toString()}`), undefined, signal), signal);
  const suppressed = sync.view.suppressedClasses;
  const classes = page.classes
    .map((cloneClass) => ({
      id: cloneClass.id,
      cloneType: cloneClass.type,
      tokens: cloneClass.tokens,
      lines: cloneClass.lines,
      suppressed: suppressed.has(cloneClass.id),
      fragments: cloneClass.fragments.map((fragment) => ({ ...fragment, uri: sync.uriOf(fragment.file) })),
    }))
    .filter((cloneClass) => params.includeSuppressed || !cloneClass.suppressed);
  // Suppressed classes are counted out of the total as far as this page (or, unfiltered, the project) tells.
  const hidden = params.includeSuppressed ? 0 : params.file ? page.classes.length - classes.length : suppressed.size;
  return { classes, nextCursor: page.nextCursor ?? null, total: Math.max(classes.length, page.total - hidden) };
}

/** Lines inside at least one copy, per file: overlapping copies count once. */
function duplicatedLinesByFile(classes: readonly CloneClass[]): Map<string, { lines: number; classes: number }> {
  const ranges = new Map<string, { spans: [number, number][]; classes: Set<string> }>();
  for (const cloneClass of classes) {
    for (const fragment of cloneClass.fragments) {
      const entry = ranges.get(fragment.file) ?? { spans: [], classes: new Set() };
      entry.spans.push([fragment.startLine, fragment.endLine]);
      entry.classes.add(cloneClass.id);
      ranges.set(fragment.file, entry);
    }
  }
  const byFile = new Map<string, { lines: number; classes: number }>();
  for (const [file, { spans, classes: ids }] of ranges) byFile.set(file, { lines: coveredLines(spans), classes: ids.size });
  return byFile;
}

export async function projectSummary(sync: WorkspaceSync, signal: AbortSignal): Promise<ProjectSummaryResult> {
  const backend = connected(sync);
  const [all, deviations, trend] = await Promise.all([
    allClasses(backend, signal),
    conventions(backend, signal),
    backend.json(TrendResponse, 'GET', projectUrl(backend, 'trend?limit=30'), undefined, signal),
  ]);
  const suppressed = sync.view.suppressedClasses;
  const classes = unwrap(all, signal).classes.filter((cloneClass) => !suppressed.has(cloneClass.id));
  const byFile = duplicatedLinesByFile(classes);
  let lines = 0;
  for (const file of sync.local.values()) lines += file.lines;
  let duplicatedLines = 0;
  for (const file of byFile.values()) duplicatedLines += file.lines;
  const percent = (part: number, whole: number): number => (whole === 0 ? 0 : Math.round((part * 10_000) / whole) / 100);
  return {
    files: sync.local.size,
    lines,
    duplicatedLines,
    duplicationPercent: percent(duplicatedLines, lines),
    cloneClasses: classes.length,
    byType: {
      type1: classes.filter((c) => c.type === 1).length,
      type2: classes.filter((c) => c.type === 2).length,
      type3: classes.filter((c) => c.type === 3).length,
    },
    bySize: SIZE_BUCKETS.map((bucket, index) => ({
      label: bucket.label,
      count: classes.filter((c) => c.lines <= bucket.upTo && (index === 0 || c.lines > (SIZE_BUCKETS[index - 1] as { upTo: number }).upTo))
        .length,
    })),
    hotFiles: [...byFile]
      .sort((a, b) => b[1].lines - a[1].lines || (a[0] < b[0] ? -1 : 1))
      .slice(0, HOT_FILES)
      .map(([file, stats]) => ({ file, uri: sync.uriOf(file), duplicatedLines: stats.lines, classes: stats.classes })),
    // Without a finished analysis yet the history is empty; the dashboard shows today's figures alone.
    trend: trend.ok
      ? trend.value.points.map((point) => ({
          at: point.at,
          duplicationPercent: Math.round(point.duplication * 10_000) / 100,
          cloneClasses: point.cloneClasses,
        }))
      : [],
    conventionFindings: deviations.ok ? deviations.value.deviations.length : 0,
  };
}

export async function findSimilar(sync: WorkspaceSync, params: FindSimilarParams, signal: AbortSignal): Promise<FindSimilarResult> {
  const backend = connected(sync);
  const file = sync.pathOf(params.uri);
  if (file === undefined) throw new ResponseError(ErrorCodes.InvalidParams, `${params.uri} is not a file of the workspace`);
  const text = await sync.text(file);
  if (text === undefined) throw new ResponseError(ErrorCodes.InvalidParams, `cannot read ${file}`);
  const lines = text.split('\n');
  const { start, end } = params.range;
  const selected = lines.slice(start.line, end.line + 1);
  if (selected.length > 0) {
    selected[selected.length - 1] = (selected[selected.length - 1] as string).slice(0, end.character);
    selected[0] = (selected[0] as string).slice(start.character);
  }
  const code = selected.join('\n');
  if (code.trim() === '') throw new ResponseError(ErrorCodes.InvalidParams, 'select the code to look for first');
  const answer = unwrap(
    await backend.json(SimilarResponse, 'POST', projectUrl(backend, 'similar'), { code, language: file, limit: 20 }, signal),
    signal,
  );
  const [first, last] = [start.line + 1, end.line + 1];
  const matches = answer.matches.filter((match) => match.file !== file || match.endLine < first || match.startLine > last);
  const results: FindSimilarResult['matches'] = [];
  for (const match of matches) {
    const other = (await sync.text(match.file)) ?? '';
    results.push({
      uri: sync.uriOf(match.file),
      file: match.file,
      startLine: match.startLine,
      endLine: match.endLine,
      similarity: match.similarity,
      cloneType: match.type,
      excerpt: other
        .split('\n')
        .slice(match.startLine - 1, Math.min(match.endLine, match.startLine - 1 + EXCERPT_LINES))
        .join('\n'),
    });
  }
  return { matches: results };
}

export async function projectConventions(sync: WorkspaceSync, signal: AbortSignal): Promise<ConventionsResult> {
  const answer = unwrap(await conventions(connected(sync), signal), signal);
  return ConventionsRequest.result.parse({
    conventions: answer.conventions,
    deviations: answer.deviations.map((deviation) => ({ ...deviation, uri: sync.uriOf(deviation.file) })),
  });
}

export async function analyzeWorkspace(sync: WorkspaceSync, signal: AbortSignal): Promise<{ analysisId: string }> {
  const backend = connected(sync);
  const started = unwrap(await backend.call(StartAnalysisResponse, 'POST', projectUrl(backend, 'analyses'), { signal }), signal);
  sync.followAnalysis(started.id);
  return { analysisId: started.id };
}

/** Suppresses a clone class for the whole team (or shows it again); every client refreshes on the event that follows. */
export async function setSuppressed(
  sync: WorkspaceSync,
  classId: string,
  suppressed: boolean,
  signal?: AbortSignal,
): Promise<{ ok: true }> {
  const backend = connected(sync);
  const path = suppressionPath(backend.project, classId);
  const abort = signal ?? new AbortController().signal;
  if (suppressed) unwrap(await backend.call(SuppressionInfo, 'PUT', path, { signal: abort }), abort);
  else unwrap(await backend.call(RemoveSuppressionResponse, 'DELETE', path, { signal: abort }), abort);
  await sync.refreshAll(backend);
  return { ok: true };
}
