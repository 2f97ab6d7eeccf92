import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { AuxilError } from '../errors.js';
import type { Logger } from '../logging.js';

/**
 * A tool's answer: the structured result (checked against the tool's output schema by the SDK) and
 * the same JSON, unindented, as text for clients that read only text. Compact on purpose: every
 * character lands in an agent's context.
 */
export function toolAnswer(structured: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured };
}

/**
 * A failure as an MCP tool result (`isError`), so the agent reads why and what to do instead of
 * the call failing at the protocol level: AuxilError's code and message as they are, anything
 * else as `internal` (logged here, never shown: it may hold details of the server).
 */
export function toolFailure(error: unknown, logger: Logger): CallToolResult {
  const known = error instanceof AuxilError ? error : undefined;
  if (!known) logger.error({ err: error }, 'MCP tool failed');
  const failure = known ?? new AuxilError('internal', 'Auxil failed to answer this call; the server log has the details');
  // No structuredContent: clients check it against the tool's output schema, which describes success.
  return { content: [{ type: 'text', text: `${failure.code}: ${failure.message}` }], isError: true };
}
