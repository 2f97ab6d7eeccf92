import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { SYMBOL_KINDS, type SymbolKind } from '../../engine/symbols/symbol-types.js';
import { searchSymbols } from '../../projects/project-service.js';
import type { McpSession } from '../mcp-session.js';
import { projectField } from '../tool-fields.js';
import { guarded, type ToolPolicy } from '../tool-guard.js';

export const searchSymbolsPolicy: ToolPolicy = { name: 'search_symbols', scope: 'read', toolset: 'search' };

const input = {
  query: z.string().min(1).max(200).describe('A name, part of one or an abbreviation (fuzzy): getUser, usrRepo, GUR'),
  kind: z
    .enum(SYMBOL_KINDS as [SymbolKind, ...SymbolKind[]])
    .optional()
    .describe('Only declarations of this kind'),
  project: projectField,
  limit: z.number().int().min(1).max(50).default(10).describe('Most results, best first'),
};

const output = {
  project: z.string().describe('The project searched'),
  symbols: z
    .array(
      z.object({
        name: z.string().describe('Declared name'),
        kind: z.string().describe('function, class, method, …'),
        file: z.string().describe('File declaring it'),
        startLine: z.number().int().describe('First line, 1-based'),
        endLine: z.number().int().describe('Last line, inclusive'),
        exported: z.boolean().describe('Whether other modules can import it'),
        container: z.string().optional().describe('Enclosing class or module, if any'),
      }),
    )
    .describe('Matching declarations, best match first'),
};

export function registerSearchSymbolsTool(server: McpServer, session: McpSession): void {
  server.registerTool(
    searchSymbolsPolicy.name,
    {
      title: 'Search symbols',
      description:
        'Find functions, classes, types and other declarations of the project by name (fuzzy). Use it to locate an API you expect to exist before writing one.',
      inputSchema: input,
      outputSchema: output,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    guarded(session, searchSymbolsPolicy, async (args, call) => {
      const answer = await searchSymbols(session.services, call.tenantId, call.project, {
        q: args.query,
        limit: args.limit,
        ...(args.kind !== undefined ? { kind: args.kind } : {}),
      });
      // The fuzzy score means nothing to an agent beyond the order, which the list keeps.
      const symbols = answer.symbols.map(({ score: _score, ...symbol }) => symbol);
      return { project: call.project, symbols };
    }),
  );
}
