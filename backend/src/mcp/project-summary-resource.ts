import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ProjectName } from '@auxil/protocol';
import { AuxilError } from '../errors.js';
import { getProject, listClones, listProjects } from '../projects/project-service.js';
import type { McpSession } from './mcp-session.js';
import { guard, type ToolPolicy } from './tool-guard.js';

/** Reading a summary is a read; every connection offers it, whatever toolsets it asked for. */
const summaryPolicy: ToolPolicy = { name: 'project summary', scope: 'read' };

/** What a project holds and how duplicated it is, for an agent to read at the start of a task. */
async function summary(session: McpSession, ref: string): Promise<Record<string, unknown>> {
  const { services, tenantId } = session;
  const project = await getProject(services, tenantId, ref);
  const [latest] = await services.store.forTenant(tenantId).analyses.list(project.id, 1);
  const clones = await listClones(services, tenantId, project.id, { limit: 1 });
  return {
    project: project.name,
    id: project.id,
    files: project.files,
    revision: project.revision,
    cloneClasses: clones.total,
    ...(latest?.summary ? { lastAnalysis: { id: latest.id, revision: latest.revision, ...latest.summary } } : {}),
  };
}

/** `auxil://projects/{project}/summary`: one resource per project of the tenant. */
export function registerProjectSummaryResource(server: McpServer, session: McpSession): void {
  if (!session.scopes.includes('read')) return;
  const template = new ResourceTemplate('auxil://projects/{project}/summary', {
    list: async () => ({
      resources: (await listProjects(session.services, session.tenantId)).map((project) => ({
        uri: `auxil://projects/${project.name}/summary`,
        name: `${project.name} summary`,
        mimeType: 'application/json',
      })),
    }),
  });
  server.registerResource(
    'project-summary',
    template,
    { title: 'Project summary', description: 'Files, revision and clone classes of a project', mimeType: 'application/json' },
    async (uri, variables) => {
      await guard(session, summaryPolicy);
      const parsed = ProjectName.safeParse(variables.project);
      if (!parsed.success) throw new AuxilError('invalid_project', `"${String(variables.project)}" is not a project name`);
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(await summary(session, parsed.data)) }] };
    },
  );
}
