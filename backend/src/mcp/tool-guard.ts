import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { requireScope } from '../auth/scopes.js';
import { AuxilError } from '../errors.js';
import { listProjects } from '../projects/project-service.js';
import type { TokenScope } from '../store/store.js';
import type { McpSession, Toolset } from './mcp-session.js';
import { toolAnswer, toolFailure } from './tool-results.js';

/** What the SDK hands a tool besides its arguments: the abort signal, progress token, notifications. */
export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** The registry's facts about a tool: what scope it needs and which toolset lists it. */
export interface ToolPolicy {
  readonly name: string;
  readonly scope: TokenScope;
  /** The toolset that lists it; none for what every connection offers (the project resources). */
  readonly toolset?: Toolset;
}

/** A call the guard let through: the tenant and the project it is about. */
export interface GuardedCall {
  readonly tenantId: string;
  /** The project's id or name, as the use cases take it (they answer not_found for another tenant's). */
  readonly project: string;
}

/** Most project names listed in the message asking the agent to choose one. */
const LISTED_PROJECTS = 20;

/** The project a call is about: the one it names, else the session's default, else the tenant's only one. */
async function chooseProject(session: McpSession, named: string | undefined): Promise<string> {
  const chosen = named ?? session.defaultProject;
  if (chosen !== undefined) return chosen;
  const projects = await listProjects(session.services, session.tenantId);
  if (projects.length === 1) return (projects[0] as { name: string }).name;
  if (projects.length === 0) {
    throw new AuxilError('not_found', 'this tenant has no project yet; index one first (index_files, or the REST API / VS Code extension)');
  }
  const names = projects.slice(0, LISTED_PROJECTS).map((project) => project.name);
  const more = projects.length > LISTED_PROJECTS ? ` and ${projects.length - LISTED_PROJECTS} more (list_projects)` : '';
  throw new AuxilError('invalid_request', `name the project: this tenant has ${names.join(', ')}${more}`);
}

/**
 * The one check every tool runs first: the token may use the tool (the list already hides the
 * others, but a client may call a name it was not shown), and the index is brought up to date
 * where the session says how.
 */
export async function guard(session: McpSession, policy: ToolPolicy): Promise<void> {
  requireScope(session.scopes, policy.scope, `the ${policy.name} tool`);
  if (policy.toolset && session.toolsets && !session.toolsets.has(policy.toolset)) {
    throw new AuxilError(
      'forbidden',
      `the ${policy.name} tool is in the "${policy.toolset}" toolset, which this connection did not ask for`,
    );
  }
  await session.beforeCall?.();
}

/**
 * A project tool's handler: the guard, the project choice, the tool's own work and its answer —
 * or its failure as an `isError` result, so bad input or an unknown project never breaks the
 * protocol.
 */
export function guarded<A extends { project?: string | undefined }>(
  session: McpSession,
  policy: ToolPolicy,
  work: (args: A, call: GuardedCall, extra: ToolExtra) => Promise<Record<string, unknown>>,
): (args: A, extra: ToolExtra) => Promise<CallToolResult> {
  return async (args, extra) => {
    try {
      await guard(session, policy);
      const call = { tenantId: session.tenantId, project: await chooseProject(session, args.project) };
      return toolAnswer(await work(args, call, extra));
    } catch (error) {
      return toolFailure(error, session.services.logger);
    }
  };
}
