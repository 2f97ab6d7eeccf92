import { setTimeout as delay } from 'node:timers/promises';
import type { AnalysisInfo } from '@auxil/protocol';
import { resolveProject } from '../projects/project-service.js';
import type { Services } from '../services.js';

/** How often a waiting call looks at the analysis record: it may be run by another process, which pushes nothing here. */
const POLL_MS = 250;

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
    try {
      await delay(Math.min(POLL_MS, Math.max(0, deadline - Date.now())), undefined, { signal });
    } catch {
      break; // The client cancelled the call: answer with what is known.
    }
    current = await services.analyses.get(tenantId, current.project, current.id);
  }
  return current;
}
