// The MCP (`--mcp`) suite: the latency of `find_similar_code` as a coding agent sees it, through
// the official MCP SDK client over Streamable HTTP to the real built server on 127.0.0.1, with the
// corpus synced into the server's index first. The same snippets are also asked through REST
// (`POST /v1/projects/:p/similar`), so the MCP layer's own cost shows. See bench/README.md, "MCP".
import { readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ApiClient } from '../api/api-client.js';
import { serverTimingMs, summarize, type LatencySummary } from '../api/api-helpers.js';
import { AuxilProcess, cleanUpEverything, makeTempDir, removeTempDir, runCli } from '../api/auxil-process.js';
import { measureInitialSync } from '../api/measure-sync.js';
import type { PlantedCorpus } from '../corpus/planted-corpus.js';
import { SeededRandom } from '../injection/seeded-random.js';
import type { PlantedClone } from '../injection/ground-truth.js';
import type { MemoryPeaks } from '../runners/process-tree-monitor.js';
import { shellQuote } from '../runners/tool-run.js';

/** Timed queries per door, and untimed ones first (JIT, connection, page cache). */
export const QUERIES = 200;
const WARMUP = 10;
/** The target: p95 end to end on 127.0.0.1. */
export const MCP_P95_TARGET_MS = 100;

export interface McpSuiteContext {
  readonly corpus: PlantedCorpus;
  readonly seed: number;
  readonly auxilCli: string;
  readonly log: (line: string) => void;
}

/** One door's figures over the same snippets. */
export interface DoorLatency {
  /** From the call's start to its parsed answer, as the client saw it. */
  readonly clientMs: LatencySummary;
  /** `Server-Timing: app;dur=`: the server's own time per request. */
  readonly serverMs: LatencySummary;
  /** Queries whose answer named the planted copy or its original. */
  readonly found: number;
}

export type McpSuiteResult =
  | {
      readonly status: 'ok';
      readonly files: number;
      readonly syncWallMs: number;
      readonly queries: number;
      readonly mcp: DoorLatency;
      readonly rest: DoorLatency;
      readonly server: MemoryPeaks;
      readonly commands: Record<string, string>;
      readonly targetP95Ms: number;
    }
  | { readonly status: 'failed'; readonly message: string; readonly serverOutputTail?: string };

interface Match {
  readonly file: string;
  readonly startLine: number;
  readonly endLine: number;
}

/** "Does this already exist?": seeded planted originals, each asked for as its own text. */
function snippets(corpus: PlantedCorpus, seed: number, count: number): { plant: PlantedClone; code: string; language: string }[] {
  const random = new SeededRandom(seed);
  const plants = [...corpus.truth.plants];
  const chosen: { plant: PlantedClone; code: string; language: string }[] = [];
  while (chosen.length < count && plants.length > 0) {
    const plant = plants.splice(random.int(0, plants.length - 1), 1)[0] as PlantedClone;
    const lines = readFileSync(join(corpus.tree, plant.original.file), 'utf8').split(/\r?\n/);
    const code = lines.slice(plant.original.startLine - 1, plant.original.endLine).join('\n');
    // The extension tells the language (`.ts`, `.mjs`, …), as a file name would.
    chosen.push({ plant, code, language: extname(plant.original.file) });
  }
  return chosen;
}

const names = (plant: PlantedClone, matches: readonly Match[]): boolean =>
  matches.some((match) =>
    [plant.copy, plant.original].some(
      (place) => place.file === match.file && match.startLine <= place.endLine && place.startLine <= match.endLine,
    ),
  );

/** The SDK client on /mcp, with a fetch that records each answer's Server-Timing. */
async function connectMcp(
  url: string,
  token: string,
  project: string,
): Promise<{ client: Client; lastServerMs: () => number | undefined }> {
  let last: number | undefined;
  const timedFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    last = serverTimingMs(response.headers.get('server-timing') ?? undefined);
    return response;
  };
  const transport = new StreamableHTTPClientTransport(new URL(`/mcp?project=${encodeURIComponent(project)}`, url), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
    fetch: timedFetch,
  });
  const client = new Client({ name: 'auxil-bench', version: '1.0.0' });
  await client.connect(transport);
  return { client, lastServerMs: () => last };
}

export async function runMcpSuite(context: McpSuiteContext): Promise<McpSuiteResult> {
  const { corpus, seed, auxilCli: cli, log } = context;
  const node = process.execPath;
  const commands = {
    token: shellQuote([node, cli, 'admin', 'token', '--data-dir', '<D>', '--name', 'bench']),
    serve: shellQuote([node, cli, 'serve', '--port', '0', '--data-dir', '<D>']),
  };
  const dataDir = makeTempDir('auxil-bench-mcp-');
  const project = `corpus-${basename(corpus.tree)}`;
  let server: AuxilProcess | undefined;
  let rest: ApiClient | undefined;
  let mcp: Client | undefined;
  try {
    const token = runCli(cli, ['admin', 'token', '--data-dir', dataDir, '--name', 'bench']);
    const started = await AuxilProcess.start(cli, ['serve', '--port', '0', '--data-dir', dataDir], 'auxil serve', {
      ready: /listening on (http:\/\/\S+)/,
      timeoutMs: 60_000,
    });
    server = started.process;
    const url = started.ready;
    rest = new ApiClient(url, token, 4);
    log(`MCP 1/2: syncing ${corpus.files.toLocaleString('en-US')} files into ${url} …`);
    const sync = await measureInitialSync({ client: rest, server, tree: corpus.tree, project, findingsFile: undefined, log });
    log(`  synced ${sync.result.files.toLocaleString('en-US')} files in ${(sync.result.wallMs / 1000).toFixed(1)} s`);

    const asked = snippets(corpus, seed, WARMUP + QUERIES);
    const connected = await connectMcp(url, token, project);
    mcp = connected.client;
    log(`MCP 2/2: ${QUERIES} find_similar_code calls through the MCP SDK client, then the same through REST …`);
    const mcpDoor = { client: [] as number[], server: [] as number[], found: 0 };
    const restDoor = { client: [] as number[], server: [] as number[], found: 0 };
    server.sampler.reset();
    for (const [i, query] of asked.entries()) {
      const begin = performance.now();
      const result = (await mcp.callTool({
        name: 'find_similar_code',
        arguments: { code: query.code, language: query.language, limit: 10 },
      })) as CallToolResult;
      const ms = performance.now() - begin;
      if (result.isError) throw new Error(`find_similar_code failed: ${JSON.stringify(result.content).slice(0, 300)}`);
      if (i < WARMUP) continue;
      mcpDoor.client.push(ms);
      const serverMs = connected.lastServerMs();
      if (serverMs !== undefined) mcpDoor.server.push(serverMs);
      if (names(query.plant, (result.structuredContent as { matches: Match[] }).matches)) mcpDoor.found++;
    }
    for (const [i, query] of asked.entries()) {
      const body = JSON.stringify({ code: query.code, language: query.language, limit: 10 });
      const { value, answer } = await rest.json<{ matches: Match[] }>('POST', `/v1/projects/${project}/similar`, {
        body,
        headers: { 'Content-Type': 'application/json' },
      });
      if (i < WARMUP) continue;
      restDoor.client.push(answer.clientMs);
      if (answer.serverMs !== undefined) restDoor.server.push(answer.serverMs);
      if (names(query.plant, value.matches)) restDoor.found++;
    }
    const door = (d: typeof mcpDoor): DoorLatency => ({ clientMs: summarize(d.client), serverMs: summarize(d.server), found: d.found });
    return {
      status: 'ok',
      files: sync.result.files,
      syncWallMs: sync.result.wallMs,
      queries: QUERIES,
      mcp: door(mcpDoor),
      rest: door(restDoor),
      server: server.sampler.peaks(),
      commands,
      targetP95Ms: MCP_P95_TARGET_MS,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { status: 'failed', message, ...(server ? { serverOutputTail: server.output().slice(-1500) } : {}) };
  } finally {
    await mcp?.close();
    rest?.close();
    await server?.stop();
    removeTempDir(dataDir);
    cleanUpEverything();
  }
}

/** The suite's lines for the console. */
export function mcpLines(result: McpSuiteResult): string[] {
  if (result.status !== 'ok') return [`MCP find_similar_code: FAILED — ${result.message}`];
  const door = (label: string, d: DoorLatency): string =>
    `${label} p50 ${d.clientMs.p50Ms.toFixed(1)} ms, p95 ${d.clientMs.p95Ms.toFixed(1)} ms, max ${d.clientMs.maxMs.toFixed(1)} ms ` +
    `(server p50 ${d.serverMs.p50Ms.toFixed(1)}, p95 ${d.serverMs.p95Ms.toFixed(1)} ms); found ${d.found}/${result.queries}`;
  const verdict = result.mcp.clientMs.p95Ms <= result.targetP95Ms ? 'meets' : 'MISSES';
  return [
    `MCP find_similar_code on ${result.files.toLocaleString('en-US')} files, ${result.queries} calls: ${door('SDK client over HTTP', result.mcp)}  (target p95 ≤ ${result.targetP95Ms} ms: ${verdict})`,
    `REST POST /similar, same snippets: ${door('client', result.rest)}`,
  ];
}
