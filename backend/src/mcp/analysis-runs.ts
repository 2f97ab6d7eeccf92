import type { AnalysisInfo } from '@auxil/protocol';
import { resolveProject } from '../projects/project-service.js';
import type { Services } from '../services.js';

/** Longest a waiting call goes without reporting progress; the end itself is seen at once. */
const PROGRESS_EVERY_MS = 1000;

/**
 * The project's analysis of its current revision: the latest one when it covers this revision and
 * did not fail (so agents asking again and again start nothing new), else a new one.
 */
export async function startOrReuseAnalysis(
  services: Services,
  tenantId: string,
  projectRef: string,
): Promise<{ analysis: AnalysisInfo; reused: boolean }> {
  const tenant = services.store.forTenant(tenantId);
  const project = await resolveProject(tenant, projectRef);
  const [[latest], revision] = await Promise.all([tenant.analyses.list(project.id, 1), tenant.files.revision(project.id)]);
  if (latest && latest.revision === revision && latest.status !== 'failed') {
    return { analysis: await services.analyses.get(tenantId, project.id, latest.id), reused: true };
  }
  return { analysis: await services.analyses.start(tenantId, project.id), reused: false };
}

const finished = (analysis: AnalysisInfo): boolean => analysis.status === 'done' || analysis.status === 'failed';

/**
 * Waits until the analysis finishes, `waitMs` passes or `signal` aborts, telling `onProgress` of
 * every change in files done; returns the analysis as last seen.
 */
export async function waitForAnalysis(
  services: Services,
  tenantId: string,
  analysis: AnalysisInfo,
  waitMs: number,
  signal: AbortSignal,
  onProgress: (analysis: AnalysisInfo) => Promise<void>,
): Promise<AnalysisInfo> {
  const deadline = Date.now() + waitMs;
  let current = analysis;
  let reported = -1;
  while (!finished(current) && Date.now() < deadline && !signal.aborted) {
    if (current.progress.filesDone !== reported) {
      reported = current.progress.filesDone;
      await onProgress(current);
    }
    // The use case's own wait: it returns when the analysis ends, the slice is over or the client cancels.
    const waitMs = Math.min(PROGRESS_EVERY_MS, deadline - Date.now());
    current = await services.analyses.get(tenantId, current.project, current.id, { waitMs, signal });
  }
  return current;
}
