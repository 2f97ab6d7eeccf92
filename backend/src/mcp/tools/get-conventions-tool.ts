import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { getConventions } from '../../projects/project-service.js';
import type { McpSession } from '../mcp-session.js';
import { fileField, projectField } from '../tool-fields.js';
import { guarded, type ToolPolicy } from '../tool-guard.js';

export const getConventionsPolicy: ToolPolicy = { name: 'get_conventions', scope: 'read', toolset: 'conventions' };

const input = {
  project: projectField,
  file: fileField.optional().describe('Only the deviations of this file'),
  maxDeviations: z.number().int().min(0).max(200).default(20).describe('Most deviations listed (0 for the conventions only)'),
};

const output = {
  project: z.string().describe('The project'),
  conventions: z
    .array(
      z.object({
        id: z.string().describe('e.g. naming:typescript:function'),
        rule: z.string().describe('naming, file-naming or location'),
        expected: z.string().describe('What the codebase does: camelCase, kebab-case, test-folder, …'),
        share: z.number().describe('Share of samples following it, 0–1'),
      }),
    )
    .describe('The conventions the codebase follows, learned from its own code'),
  deviations: z
    .array(z.object({ file: z.string(), line: z.number().int(), message: z.string() }))
    .describe('Places departing from a convention'),
  moreDeviations: z.number().int().describe('Deviations not listed'),
  revision: z.number().int().describe('Index revision the answer reflects'),
};

export function registerGetConventionsTool(server: McpServer, session: McpSession): void {
  server.registerTool(
    getConventionsPolicy.name,
    {
      title: 'Get conventions',
      description:
        'The naming, file-naming and layout conventions this codebase follows (learned from its own code), and where code departs from them. Read it before naming new files, functions or classes.',
      inputSchema: input,
      outputSchema: output,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    guarded(session, getConventionsPolicy, async (args, call) => {
      const answer = await getConventions(session.services, call.tenantId, call.project, args.file);
      const listed = answer.deviations.slice(0, args.maxDeviations);
      return {
        project: call.project,
        conventions: answer.conventions.map(({ id, rule, expected, share }) => ({ id, rule, expected, share })),
        deviations: listed.map(({ file, line, message }) => ({ file, line, message })),
        moreDeviations: answer.deviations.length - listed.length,
        revision: answer.revision,
      };
    }),
  );
}
