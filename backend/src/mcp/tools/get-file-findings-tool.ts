import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { fileFindings } from '../../projects/project-service.js';
import { LISTED_COPIES } from '../compact-clones.js';
import type { McpSession } from '../mcp-session.js';
import { fileField, projectField } from '../tool-fields.js';
import { guarded, type ToolPolicy } from '../tool-guard.js';

export const getFileFindingsPolicy: ToolPolicy = { name: 'get_file_findings', scope: 'read', toolset: 'duplicates' };

const input = { project: projectField, file: fileField };

const Place = z.object({ file: z.string(), startLine: z.number().int(), endLine: z.number().int() });

const output = {
  project: z.string().describe('The project'),
  file: z.string().describe('The file'),
  duplicates: z
    .array(
      z.object({
        startLine: z.number().int().describe('First duplicated line here'),
        endLine: z.number().int().describe('Last duplicated line here'),
        cloneType: z.number().int().describe('1 identical, 2 renamed identifiers/literals, 3 near-miss'),
        others: z.array(Place).describe(`Other copies (at most ${LISTED_COPIES})`),
        moreOthers: z.number().int().describe('Other copies not listed'),
      }),
    )
    .describe('Fragments of this file that exist elsewhere too'),
  conventions: z
    .array(
      z.object({
        line: z.number().int().describe('Line of the deviation'),
        message: z.string().describe('What departs from which convention'),
      }),
    )
    .describe("Places where this file departs from the codebase's conventions"),
  revision: z.number().int().describe('Index revision the answer reflects'),
};

export function registerGetFileFindingsTool(server: McpServer, session: McpSession): void {
  server.registerTool(
    getFileFindingsPolicy.name,
    {
      title: 'Get file findings',
      description:
        "What Auxil reports about one file: its duplicated fragments (with where the other copies are) and its departures from the codebase's conventions. Call it after editing a file.",
      inputSchema: input,
      outputSchema: output,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    guarded(session, getFileFindingsPolicy, async (args, call) => {
      const answer = await fileFindings(session.services, call.tenantId, call.project, args.file);
      const duplicates = [];
      const conventions = [];
      for (const finding of answer.findings) {
        if (finding.kind === 'duplicate') {
          duplicates.push({
            startLine: finding.startLine,
            endLine: finding.endLine,
            cloneType: finding.cloneType,
            others: finding.others.slice(0, LISTED_COPIES),
            moreOthers: Math.max(0, finding.others.length - LISTED_COPIES),
          });
        } else {
          conventions.push({ line: finding.startLine, message: finding.message });
        }
      }
      return { project: call.project, file: answer.file, duplicates, conventions, revision: answer.revision };
    }),
  );
}
