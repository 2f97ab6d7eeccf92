import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import express, { Router, type Request, type RequestHandler } from 'express';
import type { Caller } from '../auth/api-tokens.js';
import { requireToken } from '../auth/authenticate.js';
import { AuxilError } from '../errors.js';
import { limitPerTenant, shedLoad } from '../http/overload.js';
import type { Services } from '../services.js';
import { createMcpServer } from './mcp-server.js';
import { parseToolsets } from './toolsets.js';

/** Largest MCP request body: index_files carries whole files (the snippet limit is far lower). */
const MAX_MCP_BODY_BYTES = 16 * 1024 * 1024;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);
const LOOPBACK_NAMES = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * DNS-rebinding and cross-site protection. A server on a loopback address answers only requests
 * addressed to a loopback name (a rebinding page's Host is its own domain); and a request from a
 * web page (it has an Origin header) is refused unless that origin is configured. Agents and
 * CLIs send no Origin.
 */
function checkOrigin(services: Services): RequestHandler {
  const loopbackOnly = LOOPBACK_HOSTS.has(services.config.host);
  const allowed = new Set(services.config.mcpAllowedOrigins);
  return (request, _response, next) => {
    const host = request.headers.host?.replace(/:\d+$/, '').toLowerCase();
    if (loopbackOnly && (host === undefined || !LOOPBACK_NAMES.has(host))) {
      throw new AuxilError('forbidden', `this server listens on ${services.config.host} only; address it as 127.0.0.1 or localhost`);
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !allowed.has(origin)) {
      throw new AuxilError(
        'forbidden',
        `requests from web pages at ${origin} are refused; add the origin to AUXIL_MCP_ALLOWED_ORIGINS to allow it`,
      );
    }
    next();
  };
}

/** `?project=`: the project tools use when a call names none; checked like any project a call names. */
function defaultProject(request: Request): string | undefined {
  const value = request.query.project;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Whether a JSON-RPC message (or batch) carries a progress token: its answer must then be a stream. */
function asksForProgress(body: unknown): boolean {
  const messages: unknown[] = Array.isArray(body) ? body : [body];
  return messages.some((message) => {
    const params = (message as { params?: { _meta?: { progressToken?: unknown } } } | null)?.params;
    return params?._meta?.progressToken !== undefined;
  });
}

/**
 * `POST /mcp`: the Streamable HTTP transport, stateless. Each request gets a server holding only
 * the tools its token and toolsets allow, and is answered on its own response (JSON, or an SSE
 * stream when a call asked for progress). Stateless because any api process can then answer any
 * request with no session affinity, and every request is authenticated afresh, so a revoked token
 * stops at once.
 */
export function mcpRoutes(services: Services): Router {
  const router = Router();
  // Origin and Host first, then the same token, load shedding and rate limits as /v1.
  router.use(
    '/mcp',
    checkOrigin(services),
    shedLoad(services.config.maxInFlight),
    requireToken(services.store),
    limitPerTenant(services.config.rateLimit),
  );
  router.post('/mcp', express.json({ limit: MAX_MCP_BODY_BYTES }), async (request, response) => {
    const caller = response.locals.caller as Caller;
    const toolsets = parseToolsets(request.query.toolsets ?? request.headers['x-auxil-toolsets']);
    const server = createMcpServer({
      services,
      tenantId: caller.tenantId,
      scopes: caller.scopes,
      toolsets,
      defaultProject: defaultProject(request),
    });
    // A plain JSON answer unless a call asked for progress, which needs the event stream.
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: !asksForProgress(request.body),
    });
    response.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(request, response, request.body);
  });
  router.all('/mcp', () => {
    throw new AuxilError(
      'method_not_allowed',
      'this MCP endpoint is stateless: send JSON-RPC messages with POST; there is no session to GET or DELETE',
    );
  });
  return router;
}
