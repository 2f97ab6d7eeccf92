import { ClassId, TrendQuery, type SuppressionInfo, type TrendResponse } from '@auxil/protocol';
import { Router } from 'express';
import { AuxilError } from '../errors.js';
import { currentRequest } from '../request-context.js';
import type { Services } from '../services.js';
import { projectParam, validate } from './project-routes.js';
import { resolveProject } from './project-service.js';

/** The caller's tenant and token, as authentication recorded them. */
function caller(): { tenantId: string; tokenId: string } {
  const context = currentRequest();
  if (!context?.tenantId) throw new AuxilError('unauthenticated', 'this request was not authenticated');
  return { tenantId: context.tenantId, tokenId: context.tokenId ?? 'unknown' };
}

/**
 * Every client of the project shows findings without suppressed classes: after a change, tell them
 * all to fetch their findings again.
 */
async function announce(services: Services, tenantId: string, project: { id: string; name: string }): Promise<void> {
  const revision = await services.store.forTenant(tenantId).files.revision(project.id);
  services.push.publish(tenantId, project.name, { type: 'index-changed', project: project.name, revision });
}

/**
 * Suppressed clone classes (hidden for the whole team, reversible) and the project's duplication
 * history, which the editor's dashboard draws.
 */
export function suppressionRoutes(services: Services): Router {
  const router = Router();

  router.get('/v1/projects/:project/suppressions', async (request, response) => {
    const { tenantId } = caller();
    const tenant = services.store.forTenant(tenantId);
    const project = await resolveProject(tenant, projectParam(request.params.project));
    const suppressions: SuppressionInfo[] = await tenant.suppressions.list(project.id);
    response.json({ suppressions });
  });

  router.put('/v1/projects/:project/suppressions/:classId', async (request, response) => {
    const { tenantId, tokenId } = caller();
    const tenant = services.store.forTenant(tenantId);
    const project = await resolveProject(tenant, projectParam(request.params.project));
    const classId = validate(ClassId, request.params.classId, 'clone class id');
    const suppression: SuppressionInfo = await tenant.suppressions.add(project.id, classId, tokenId);
    await announce(services, tenantId, project);
    response.json(suppression);
  });

  router.delete('/v1/projects/:project/suppressions/:classId', async (request, response) => {
    const { tenantId } = caller();
    const tenant = services.store.forTenant(tenantId);
    const project = await resolveProject(tenant, projectParam(request.params.project));
    const classId = validate(ClassId, request.params.classId, 'clone class id');
    const removed = await tenant.suppressions.remove(project.id, classId);
    if (removed) await announce(services, tenantId, project);
    response.json({ removed });
  });

  router.get('/v1/projects/:project/trend', async (request, response) => {
    const { tenantId } = caller();
    const tenant = services.store.forTenant(tenantId);
    const project = await resolveProject(tenant, projectParam(request.params.project));
    const query = validate(TrendQuery, request.query, 'query');
    const points: TrendResponse['points'] = [];
    for (const analysis of await tenant.analyses.list(project.id, query.limit)) {
      const summary = analysis.summary;
      if (analysis.status !== 'done' || !summary) continue;
      points.push({
        at: analysis.finishedAt ?? analysis.createdAt,
        revision: analysis.revision,
        files: Number(summary.files ?? 0),
        lines: Number(summary.lines ?? 0),
        duplicatedLines: Number(summary.duplicatedLines ?? 0),
        duplication: Number(summary.duplication ?? 0),
        cloneClasses: Number(summary.cloneClasses ?? 0),
      });
    }
    response.json({ points: points.reverse() });
  });

  return router;
}
