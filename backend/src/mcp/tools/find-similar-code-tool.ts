import { MAX_SNIPPET_BYTES, ProjectPath } from '@auxil/protocol';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { findSimilar } from '../../projects/project-service.js';
import { excerpts } from '../fragment-excerpts.js';
import type { McpSession } from '../mcp-session.js';
import { projectField } from '../tool-fields.js';
import { guarded, type ToolPolicy } from '../tool-guard.js';

export const findSimilarCodePolicy: ToolPolicy = { name: 'find_similar_code', scope: 'read', toolset: 'search' };

const input = {
  code: z
    .string()
    .min(1)
    .max(
      MAX_SNIPPET_BYTES,
      `a snippet is at most ${MAX_SNIPPET_BYTES} characters; send the function you are about to write, not a whole file`,
    )
    .describe('The code you are about to write (a function, a class, a block): at least a few lines'),
  language: z
    .string()
    .min(1)
    .max(40)
    .describe(
      'Its language: typescript, javascript, python, java, go, csharp, c, cpp, rust, kotlin, php, ruby — or a file name such as util.ts',
    ),
  project: projectField,
  limit: z.number().int().min(1).max(20).default(5).describe('Most matches returned, best first'),
  excludeFile: ProjectPath.optional().describe('Leave out matches in this file (the one you are editing)'),
};

const output = {
  project: z.string().describe('The project searched'),
  found: z.boolean().describe('Whether any existing code is like the snippet'),
  matches: z
    .array(
      z.object({
        file: z.string().describe('File holding the existing code'),
        startLine: z.number().int().describe('First line, 1-based'),
        endLine: z.number().int().describe('Last line, inclusive'),
        similarity: z.number().describe('0–1; 1 means the same code'),
        cloneType: z.number().int().describe('1 identical, 2 renamed identifiers/literals, 3 near-miss'),
        excerpt: z.string().describe('The opening lines of the existing code'),
      }),
    )
    .describe('Existing fragments like the snippet, most similar first'),
  advice: z.string().describe('What to do next'),
  revision: z.number().int().describe('Index revision the answer reflects'),
};

export function registerFindSimilarCodeTool(server: McpServer, session: McpSession): void {
  server.registerTool(
    findSimilarCodePolicy.name,
    {
      title: 'Find similar code',
      description:
        'Call BEFORE writing a new function, class or block: tells whether code like it already exists in the project, ' +
        'so you reuse or extend it instead of duplicating it. Pass the code you plan to write. ' +
        'An empty result is a normal answer: nothing like it exists, go ahead.',
      inputSchema: input,
      outputSchema: output,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    guarded(session, findSimilarCodePolicy, async (args, call) => {
      const answer = await findSimilar(session.services, call.tenantId, call.project, {
        code: args.code,
        language: args.language,
        limit: args.limit,
        ...(args.excludeFile !== undefined ? { excludeFile: args.excludeFile } : {}),
      });
      const texts = await excerpts(session.services, call.tenantId, call.project, answer.matches);
      const matches = answer.matches.map((match, i) => ({
        file: match.file,
        startLine: match.startLine,
        endLine: match.endLine,
        similarity: match.similarity,
        cloneType: match.type,
        excerpt: texts[i] ?? '',
      }));
      const best = matches[0];
      const advice = best
        ? `Similar code exists: read ${best.file}:${best.startLine}-${best.endLine} and reuse or extend it rather than writing a copy.`
        : 'Nothing like this exists in the project: write it.';
      return { project: call.project, found: matches.length > 0, matches, advice, revision: answer.revision };
    }),
  );
}
