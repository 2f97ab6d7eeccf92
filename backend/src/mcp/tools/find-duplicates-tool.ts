import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { listClones } from '../../projects/project-service.js';
import { compactClass, CompactCloneClass } from '../compact-clones.js';
import type { McpSession } from '../mcp-session.js';
import { fileField, projectField } from '../tool-fields.js';
import { guarded, type ToolPolicy } from '../tool-guard.js';

export const findDuplicatesPolicy: ToolPolicy = { name: 'find_duplicates', scope: 'read', toolset: 'duplicates' };

const input = {
  project: projectField,
  file: fileField.optional().describe('Only clone classes with a copy in this file'),
  folder: z.string().max(1024).optional().describe('Only clone classes with a copy under this folder, e.g. src/api'),
  cloneType: z.enum(['1', '2', '3']).optional().describe('Only this clone type: 1 identical, 2 renamed identifiers/literals, 3 near-miss'),
  limit: z.number().int().min(1).max(50).default(10).describe('Clone classes per page, largest first'),
  cursor: z.string().max(32).optional().describe('nextCursor of the previous page'),
};

const output = {
  project: z.string().describe('The project'),
  total: z.number().int().describe('Clone classes matching the filter, over all pages'),
  classes: z.array(CompactCloneClass).describe('This page of clone classes, largest first'),
  nextCursor: z.string().optional().describe('Pass as cursor for the next page; absent on the last page'),
  revision: z.number().int().describe('Index revision the answer reflects'),
};

export function registerFindDuplicatesTool(server: McpServer, session: McpSession): void {
  server.registerTool(
    findDuplicatesPolicy.name,
    {
      title: 'Find duplicates',
      description:
        'Clone classes (groups of copies of the same code) in the project, a folder or a file, largest first and paged. Use it to find what to refactor, or what a file duplicates.',
      inputSchema: input,
      outputSchema: output,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    guarded(session, findDuplicatesPolicy, async (args, call) => {
      const page = await listClones(session.services, call.tenantId, call.project, {
        limit: args.limit,
        ...(args.file !== undefined ? { file: args.file } : {}),
        ...(args.folder !== undefined ? { folder: args.folder } : {}),
        ...(args.cloneType !== undefined ? { type: args.cloneType } : {}),
        ...(args.cursor !== undefined ? { cursor: args.cursor } : {}),
      });
      return {
        project: call.project,
        total: page.total,
        classes: page.classes.map(compactClass),
        ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}),
        revision: page.revision,
      };
    }),
  );
}
