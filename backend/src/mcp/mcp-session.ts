import type { Services } from '../services.js';
import type { TokenScope } from '../store/store.js';

/** Groups of tools a client can ask for by name, so an agent's context holds only what it uses. */
export const TOOLSETS = ['search', 'duplicates', 'conventions', 'projects'] as const;
export type Toolset = (typeof TOOLSETS)[number];

/**
 * Who one MCP connection (a stateless HTTP request, or a whole stdio run) acts for and what it may
 * see. Tools read everything they need from here, never from module state.
 */
export interface McpSession {
  readonly services: Services;
  readonly tenantId: string;
  /** The token's scopes: a tool needing a scope the token lacks is neither listed nor run. */
  readonly scopes: readonly TokenScope[];
  /** The toolsets the client asked for; undefined means every toolset. */
  readonly toolsets?: ReadonlySet<Toolset> | undefined;
  /** The project a tool uses when its call names none (stdio on a folder, or `?project=` over HTTP). */
  readonly defaultProject?: string | undefined;
  /** Runs before every tool call: the embedded stdio mode brings the index up to date with the folder here. */
  readonly beforeCall?: (() => Promise<void>) | undefined;
}
