import {
  AnalysisInfo,
  AnalysisQuery,
  ClonesPage,
  ClonesQuery,
  ConventionsResponse,
  CreateProjectRequest,
  DeleteFileResponse,
  ErrorBody,
  FindingsPage,
  ProjectSummary,
  FindingsPagesQuery,
  FindingsQuery,
  FindingsResponse,
  HealthResponse,
  ManifestRequest,
  ManifestResponse,
  ProjectInfo,
  ProjectList,
  PutFileResponse,
  RemoveSuppressionResponse,
  SimilarRequest,
  SimilarResponse,
  StartAnalysisResponse,
  SuppressionInfo,
  SuppressionList,
  SymbolsQuery,
  SymbolsResponse,
  TrendQuery,
  TrendResponse,
  UploadLine,
  UploadResponse,
} from '@auxil/protocol';
import { z } from 'zod';
import { VERSION } from '../version.js';

/** One operation of the API, as the OpenAPI document and the /docs page describe it. */
interface Operation {
  readonly method: 'get' | 'post' | 'put' | 'delete';
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  readonly query?: z.ZodObject;
  readonly body?: { readonly schema: z.ZodType; readonly contentType: string; readonly description?: string };
  readonly response?: { readonly status: number; readonly schema?: z.ZodType; readonly description?: string };
  readonly public?: boolean;
}

const PROJECT = 'Project id or name';
const NDJSON =
  'One JSON object per line (`application/x-ndjson`), each a file: `{"path", "content", "hash"?}`; may be gzip-encoded (`Content-Encoding: gzip`). The body must end with a newline.';

/** Every operation, in the order the docs list them. The routes in project-routes.ts implement them. */
export const operations: readonly Operation[] = [
  {
    method: 'get',
    path: '/healthz',
    summary: 'Liveness: the process is up',
    response: { status: 200, schema: HealthResponse },
    public: true,
  },
  {
    method: 'post',
    path: '/v1/projects',
    summary: 'Create a project',
    body: { schema: CreateProjectRequest, contentType: 'application/json' },
    response: { status: 201, schema: ProjectInfo },
  },
  { method: 'get', path: '/v1/projects', summary: "List the tenant's projects", response: { status: 200, schema: ProjectList } },
  { method: 'get', path: '/v1/projects/{project}', summary: 'A project, by id or name', response: { status: 200, schema: ProjectInfo } },
  {
    method: 'delete',
    path: '/v1/projects/{project}',
    summary: 'Delete a project with its files, index and analyses',
    response: { status: 204, description: 'Deleted' },
  },
  {
    method: 'post',
    path: '/v1/projects/{project}/manifest',
    summary: 'Sync by manifest: which contents are missing',
    description:
      'Lists every file with its hash. Paths not listed are removed from the project; files whose content the tenant already has are linked; the answer names the paths to upload. Creates the project (by name) if needed.',
    body: { schema: ManifestRequest, contentType: 'application/json' },
    response: { status: 200, schema: ManifestResponse },
  },
  {
    method: 'post',
    path: '/v1/projects/{project}/files',
    summary: 'Batch upload of many files (one revision; all or nothing)',
    body: { schema: UploadLine, contentType: 'application/x-ndjson', description: NDJSON },
    response: { status: 200, schema: UploadResponse },
  },
  {
    method: 'put',
    path: '/v1/projects/{project}/files/{path}',
    summary: "One file's new content; answers with its findings",
    description: 'The raw request body is the file content (UTF-8). Findings of other files the change affects go out on the push channel.',
    body: { schema: z.string(), contentType: 'text/plain' },
    response: { status: 200, schema: PutFileResponse },
  },
  {
    method: 'delete',
    path: '/v1/projects/{project}/files/{path}',
    summary: 'Remove a file',
    response: { status: 200, schema: DeleteFileResponse },
  },
  {
    method: 'get',
    path: '/v1/projects/{project}/clones',
    summary: 'Clone classes, largest first, paged and filterable',
    query: ClonesQuery,
    response: { status: 200, schema: ClonesPage },
  },
  {
    method: 'get',
    path: '/v1/projects/{project}/findings',
    summary: "A file's current findings",
    query: FindingsQuery,
    response: { status: 200, schema: FindingsResponse },
  },
  {
    method: 'get',
    path: '/v1/projects/{project}/findings/pages',
    summary: "Every file's findings, a page of files at a time in path order",
    query: FindingsPagesQuery,
    response: { status: 200, schema: FindingsPage },
  },
  {
    method: 'get',
    path: '/v1/projects/{project}/symbols',
    summary: 'Fuzzy symbol search',
    query: SymbolsQuery,
    response: { status: 200, schema: SymbolsResponse },
  },
  {
    method: 'get',
    path: '/v1/projects/{project}/summary',
    summary: "The project's health: duplication, clone classes by type and size, the most duplicated files (suppressed classes left out)",
    response: { status: 200, schema: ProjectSummary },
  },
  {
    method: 'get',
    path: '/v1/projects/{project}/conventions',
    summary: 'Conventions learned from the codebase, and deviations from them',
    response: { status: 200, schema: ConventionsResponse },
  },
  {
    method: 'post',
    path: '/v1/projects/{project}/similar',
    summary: 'Does code like this already exist? Ranked Type-1/2/3 matches for a snippet',
    body: { schema: SimilarRequest, contentType: 'application/json' },
    response: { status: 200, schema: SimilarResponse },
  },
  {
    method: 'post',
    path: '/v1/projects/{project}/analyses',
    summary: 'Start a batch analysis of the project',
    response: { status: 202, schema: StartAnalysisResponse },
  },
  {
    method: 'get',
    path: '/v1/projects/{project}/analyses/{id}',
    summary: "An analysis's status, progress, timings and summary; `?wait=` holds the answer until it is done",
    query: AnalysisQuery,
    response: { status: 200, schema: AnalysisInfo },
  },
  {
    method: 'get',
    path: '/v1/projects/{project}/trend',
    summary: "The project's duplication over time, one point per finished analysis",
    query: TrendQuery,
    response: { status: 200, schema: TrendResponse },
  },
  {
    method: 'get',
    path: '/v1/projects/{project}/suppressions',
    summary: 'Clone classes suppressed for the whole team',
    response: { status: 200, schema: SuppressionList },
  },
  {
    method: 'put',
    path: '/v1/projects/{project}/suppressions/{classId}',
    summary: 'Suppress a clone class: its copies leave every findings answer',
    description: 'Idempotent: suppressing a suppressed class keeps its first record. Subscribers get an `index-changed` event.',
    response: { status: 200, schema: SuppressionInfo },
  },
  {
    method: 'delete',
    path: '/v1/projects/{project}/suppressions/{classId}',
    summary: 'Show a suppressed clone class again',
    response: { status: 200, schema: RemoveSuppressionResponse },
  },
  {
    method: 'get',
    path: '/v1/projects/{project}/events',
    summary: 'Push channel (WebSocket): findings, index changes and analysis progress',
    description:
      'Upgrade to a WebSocket with the same bearer token. Events: `subscribed`, `findings`, `index-changed`, `analysis` (see the protocol package).',
    response: { status: 101, description: 'Switching protocols' },
  },
];

function jsonSchema(schema: z.ZodType): unknown {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
}

function parameters(operation: Operation): unknown[] {
  const out: unknown[] = [];
  for (const match of operation.path.matchAll(/\{(\w+)\}/g)) {
    const name = match[1] as string;
    out.push({
      name,
      in: 'path',
      required: true,
      description: name === 'project' ? PROJECT : name === 'path' ? 'Project-relative file path; segments separated by /' : undefined,
      schema: { type: 'string' },
    });
  }
  if (operation.query) {
    for (const [name, field] of Object.entries(operation.query.shape)) {
      const schema = jsonSchema(field as z.ZodType) as { description?: string };
      out.push({
        name,
        in: 'query',
        required: !(field as z.ZodType).safeParse(undefined).success,
        description: schema.description,
        schema,
      });
    }
  }
  return out;
}

/** The OpenAPI 3.1 document of the API, generated from the same zod schemas the routes validate with. */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const error = { description: 'Error', content: { 'application/json': { schema: jsonSchema(ErrorBody) } } };
  for (const operation of operations) {
    const responses: Record<string, unknown> = {};
    if (operation.response) {
      responses[String(operation.response.status)] = {
        description: operation.response.description ?? 'OK',
        ...(operation.response.schema ? { content: { 'application/json': { schema: jsonSchema(operation.response.schema) } } } : {}),
      };
    }
    responses.default = error;
    paths[operation.path] ??= {};
    (paths[operation.path] as Record<string, unknown>)[operation.method] = {
      summary: operation.summary,
      ...(operation.description ? { description: operation.description } : {}),
      ...(operation.public ? { security: [] } : {}),
      parameters: parameters(operation),
      ...(operation.body
        ? {
            requestBody: {
              required: true,
              ...(operation.body.description ? { description: operation.body.description } : {}),
              content: { [operation.body.contentType]: { schema: jsonSchema(operation.body.schema) } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Auxil API',
      version: VERSION,
      description: 'Every error response is `{"error": {"code", "message"}}`; see docs/api.md.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An Auxil API token' } } },
    security: [{ bearer: [] }],
    paths,
  };
}

const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The human API reference at /docs: a static page built from the same operation list. */
export function docsPage(): string {
  const rows = operations
    .map(
      (operation) =>
        `<section><h2><code>${operation.method.toUpperCase()} ${escape(operation.path)}</code></h2><p>${escape(operation.summary)}</p>${
          operation.description ? `<p>${escape(operation.description)}</p>` : ''
        }${operation.public ? '<p><em>No authentication.</em></p>' : ''}</section>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Auxil API</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}h2{font-size:1rem;margin-bottom:0}code{background:#f3f3f3;padding:0 .2rem}</style></head>
<body><h1>Auxil API ${escape(VERSION)}</h1><p>Send <code>Authorization: Bearer &lt;token&gt;</code> with every request but <code>/healthz</code>. The machine-readable OpenAPI 3.1 document is at <code>/v1/openapi.json</code> (authenticated). Errors: <code>{"error": {"code", "message"}}</code>.</p>
${rows}</body></html>`;
}
