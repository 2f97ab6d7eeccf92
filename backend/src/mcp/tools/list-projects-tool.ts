import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { listProjects } from '../../projects/project-service.js';
import type { McpSession } from '../mcp-session.js';
import { toolAnswer, toolFailure } from '../tool-results.js';
import { guard, type ToolPolicy } from '../tool-guard.js';

export const listProjectsPolicy: ToolPolicy = { name: 'list_projects', scope: 'read', toolset: 'projects' };

const output = {
  projects: z
    .array(
      z.object({
        name: z.string().describe('Project name, what the other tools take as `project`'),
        id: z.string().describe('Project id (also accepted as `project`)'),
        files: z.number().int().describe('Files indexed'),
        revision: z.number().int().describe('Bumped by every change to its files'),
      }),
    )
    .describe("The tenant's projects, by name"),
  defaultProject: z.string().optional().describe('The project tools use when a call names none'),
};

export function registerListProjectsTool(server: McpServer, session: McpSession): void {
  server.registerTool(
    listProjectsPolicy.name,
    {
      title: 'List projects',
      description: 'The projects Auxil has indexed for you, with their file counts. Other tools take one of these names as `project`.',
      outputSchema: output,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    // The one tool about no project, so it calls the guard itself rather than through `guarded`.
    async () => {
      try {
        await guard(session, listProjectsPolicy);
        const projects = await listProjects(session.services, session.tenantId);
        return toolAnswer({
          projects: projects.map((project) => ({ name: project.name, id: project.id, files: project.files, revision: project.revision })),
          ...(session.defaultProject !== undefined ? { defaultProject: session.defaultProject } : {}),
        });
      } catch (error) {
        return toolFailure(error, session.services.logger);
      }
    },
  );
}
