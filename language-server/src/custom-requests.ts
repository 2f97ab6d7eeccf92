import {
  ClonesPage,
  ConventionsRequest,
  RemoveSuppressionResponse,
  SimilarResponse,
  StartAnalysisResponse,
  SuppressionInfo,
  ProjectSummary,
  TrendResponse,
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
import { conventions } from './project-findings.js';
import type { WorkspaceSync } from './workspace-sync.js';

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

/** The backend's summary of the project (suppressed classes left out), with editor links and the trend. */
export async function projectSummary(sync: WorkspaceSync, signal: AbortSignal): Promise<ProjectSummaryResult> {
  const backend = connected(sync);
  const [summary, trend] = await Promise.all([
    backend.json(ProjectSummary, 'GET', projectUrl(backend, 'summary'), undefined, signal),
    backend.json(TrendResponse, 'GET', projectUrl(backend, 'trend?limit=30'), undefined, signal),
  ]);
  const { revision: _revision, hotFiles, ...figures } = unwrap(summary, signal);
  return {
    ...figures,
    hotFiles: hotFiles.map((file) => ({ ...file, uri: sync.uriOf(file.file) })),
    // Without a finished analysis yet the history is empty; the dashboard shows today's figures alone.
    trend: trend.ok
      ? trend.value.points.map((point) => ({
          at: point.at,
          duplicationPercent: Math.round(point.duplication * 10_000) / 100,
          cloneClasses: point.cloneClasses,
        }))
      : [],
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
