import { UploadLine } from '@auxil/protocol';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { uploadBatch } from '../../projects/project-service.js';
import type { McpSession } from '../mcp-session.js';
import { projectField } from '../tool-fields.js';
import { guarded, type ToolPolicy } from '../tool-guard.js';

export const indexFilesPolicy: ToolPolicy = { name: 'index_files', scope: 'write', toolset: 'projects' };

/** Files per call: an agent sends what it just wrote, not a repository (that is the sync API's job). */
const MAX_FILES = 100;

const input = {
  project: projectField,
  files: z
    .array(
      z.strictObject({
        path: UploadLine.shape.path.describe('Path relative to the project root, "/" separators'),
        content: z.string().describe('The whole file content, UTF-8'),
      }),
    )
    .min(1)
    .max(MAX_FILES, `at most ${MAX_FILES} files per call; send the rest in another call`)
    .describe('Files you created or changed'),
};

const output = {
  project: z.string().describe('The project'),
  stored: z.number().int().describe('Files whose content changed'),
  unchanged: z.number().int().describe('Files Auxil already had with this content'),
  revision: z.number().int().describe('Index revision after the change'),
};

export function registerIndexFilesTool(server: McpServer, session: McpSession): void {
  server.registerTool(
    indexFilesPolicy.name,
    {
      title: 'Index files',
      description:
        'Tell Auxil about files you wrote, so its answers include them at once (not needed when `auxil mcp` serves a local folder: it sees your edits). Creates the project if it does not exist.',
      inputSchema: input,
      outputSchema: output,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    guarded(session, indexFilesPolicy, async (args, call) => {
      const answer = await uploadBatch(session.services, call.tenantId, call.project, args.files);
      return { project: call.project, ...answer };
    }),
  );
}
