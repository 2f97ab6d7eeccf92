import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { DEFAULT_TENANT, issueToken } from '../../src/auth/api-tokens.js';
import { deleteProject } from '../../src/projects/project-service.js';
import type { TokenScope } from '../../src/store/store.js';
import type { TestServer } from '../test-server.js';

/** The official SDK client connected to a test server's /mcp over Streamable HTTP, closed after the test. */
export async function httpClient(
  t: TestContext,
  server: TestServer,
  options: { token?: string; query?: string; headers?: Record<string, string> } = {},
): Promise<Client> {
  const url = new URL(`/mcp${options.query ?? ''}`, server.url);
  const headers = { Authorization: `Bearer ${options.token ?? server.token}`, ...options.headers };
  const client = new Client({ name: 'auxil-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers } }));
  t.after(() => client.close());
  return client;
}

/** A new token of the default tenant with these scopes. */
export async function tokenWith(server: TestServer, scopes: TokenScope[]): Promise<string> {
  return (await issueToken(server.server.services.store, DEFAULT_TENANT.id, `scopes ${scopes.join(' ')}`, scopes)).token;
}

/** The tool names a client is offered, sorted. */
export async function toolNames(client: Client): Promise<string[]> {
  return (await client.listTools()).tools.map((tool) => tool.name).sort();
}

/** Calls a tool that must succeed; returns its structured result. */
export async function callOk(client: Client, name: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  assert.notEqual(result.isError, true, `${name} failed: ${JSON.stringify(result.content)}`);
  assert.ok(result.structuredContent, `${name} returned structured content`);
  // Clients that read only text get the same answer.
  const text = result.content[0];
  assert.ok(text?.type === 'text');
  assert.deepEqual(JSON.parse(text.text), result.structuredContent);
  return result.structuredContent;
}

/** Calls a tool that must fail as a tool result (never a protocol error); returns its message. */
export async function callFails(client: Client, name: string, args: Record<string, unknown>): Promise<string> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  assert.equal(result.isError, true, `${name} should fail but answered ${JSON.stringify(result.structuredContent)}`);
  const text = result.content[0];
  assert.ok(text?.type === 'text');
  return text.text;
}

/** Uploads files through the REST API, as a language server or script would. */
export async function uploadFiles(server: TestServer, project: string, files: Record<string, string>, token = server.token): Promise<void> {
  const body = Object.entries(files)
    .map(([path, content]) => `${JSON.stringify({ path, content })}\n`)
    .join('');
  const response = await fetch(new URL(`/v1/projects/${project}/files`, server.url), {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/x-ndjson' },
    body,
  });
  assert.equal(response.status, 200, await response.text());
}

/** Deletes a project of the default tenant, by name, through the same use case as the API. */
export async function removeProject(server: TestServer, name: string): Promise<void> {
  await deleteProject(server.server.services, DEFAULT_TENANT.id, name);
}
