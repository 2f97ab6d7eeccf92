import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { VERSION } from '../version.js';
import type { McpSession } from './mcp-session.js';
import { registerProjectSummaryResource } from './project-summary-resource.js';
import type { ToolPolicy } from './tool-guard.js';
import { analyzeCodebasePolicy, registerAnalyzeCodebaseTool } from './tools/analyze-codebase-tool.js';
import { findDuplicatesPolicy, registerFindDuplicatesTool } from './tools/find-duplicates-tool.js';
import { findSimilarCodePolicy, registerFindSimilarCodeTool } from './tools/find-similar-code-tool.js';
import { getConventionsPolicy, registerGetConventionsTool } from './tools/get-conventions-tool.js';
import { getFileFindingsPolicy, registerGetFileFindingsTool } from './tools/get-file-findings-tool.js';
import { indexFilesPolicy, registerIndexFilesTool } from './tools/index-files-tool.js';
import { listProjectsPolicy, registerListProjectsTool } from './tools/list-projects-tool.js';
import { registerSearchSymbolsTool, searchSymbolsPolicy } from './tools/search-symbols-tool.js';

/**
 * Every MCP tool, once: its policy (scope, toolset) and how it registers. New tools (the
 * enterprise ones as their use cases land) are added here and nowhere else.
 */
export const TOOLS: readonly { policy: ToolPolicy; register: (server: McpServer, session: McpSession) => void }[] = [
  { policy: findSimilarCodePolicy, register: registerFindSimilarCodeTool },
  { policy: searchSymbolsPolicy, register: registerSearchSymbolsTool },
  { policy: analyzeCodebasePolicy, register: registerAnalyzeCodebaseTool },
  { policy: findDuplicatesPolicy, register: registerFindDuplicatesTool },
  { policy: getFileFindingsPolicy, register: registerGetFileFindingsTool },
  { policy: getConventionsPolicy, register: registerGetConventionsTool },
  { policy: listProjectsPolicy, register: registerListProjectsTool },
  { policy: indexFilesPolicy, register: registerIndexFilesTool },
];

const INSTRUCTIONS =
  "Auxil keeps a live index of this codebase. Before writing a new function or module, call find_similar_code with the code you plan to write and reuse what exists. Use search_symbols to find declarations by name, get_conventions for the codebase's naming and layout rules, and find_duplicates / analyze_codebase for duplication.";

/** Whether a session lists a tool: its token has the scope and the client asked for its toolset. */
export function offers(session: McpSession, policy: ToolPolicy): boolean {
  return session.scopes.includes(policy.scope) && (policy.toolset === undefined || (session.toolsets?.has(policy.toolset) ?? true));
}

/** An MCP server holding the tools and resources this session may use. */
export function createMcpServer(session: McpSession): McpServer {
  const server = new McpServer({ name: 'auxil', version: VERSION }, { instructions: INSTRUCTIONS });
  for (const tool of TOOLS) if (offers(session, tool.policy)) tool.register(server, session);
  registerProjectSummaryResource(server, session);
  return server;
}
