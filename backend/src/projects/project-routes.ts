import {
  AnalysisQuery,
  ClonesQuery,
  CreateProjectRequest,
  FindingsPagesQuery,
  ProjectSummaryQuery,
  FindingsQuery,
  MAX_BATCH_BYTES,
  MAX_BATCH_FILES,
  ManifestRequest,
  ProjectName,
  SimilarRequest,
  SymbolsQuery,
  UploadLine,
  checkProjectPath,
  describePathProblem,
} from '@auxil/protocol';
import express, { Router, type Request, type RequestHandler } from 'express';
import type { z } from 'zod';
import { AuxilError } from '../errors.js';
import { currentRequest } from '../request-context.js';
import type { Services } from '../services.js';
import {
  createProject,
  deleteFile,
  deleteProject,
  fileFindings,
  findSimilar,
  findingsPage,
  getConventions,
  projectSummary,
  getProject,
  listClones,
  listProjects,
  putFile,
  searchSymbols,
  syncManifest,
  uploadBatch,
} from './project-service.js';
import { suppressionRoutes } from './suppression-routes.js';

/**
 * The body is the file's content verbatim, whatever Content-Type the client declares (curl's
 * default is form-urlencoded, editors send text/plain). Only multipart is refused: it wraps the
 * content in an envelope that would otherwise be stored as if it were the file.
 */
function isMultipart(contentType: string | undefined): boolean {
  return contentType?.trim().toLowerCase().startsWith('multipart/') ?? false;
}

/** The project named in the URL, validated. */
export function projectParam(value: unknown): string {
  const parsed = ProjectName.safeParse(value);
  if (!parsed.success) throw new AuxilError('invalid_project', parsed.error.issues[0]?.message ?? 'invalid project name');
  return parsed.data;
}

/**
 * The file path of a `*path` route parameter. Express hands over decoded segments; a segment that
 * decoded to something holding '/' (from %2F) would silently change the path's shape, so it is
 * refused like every other malformed path.
 */
export function filePathParam(segments: unknown): string {
  const parts = Array.isArray(segments) ? segments.map(String) : [String(segments)];
  if (parts.some((part) => part.includes('/'))) {
    throw new AuxilError('invalid_path', "a path segment must not contain an encoded '/' (%2F)");
  }
  const path = parts.join('/');
  const problem = checkProjectPath(path);
  if (problem) throw new AuxilError('invalid_path', describePathProblem(problem));
  return path;
}

/** Largest JSON body (a manifest of 200,000 files is about 30 MB). */
const MAX_JSON_BYTES = 64 * 1024 * 1024;

/** A request's input validated against its schema; the first problem becomes the message. */
export function validate<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  throw new AuxilError('invalid_request', `invalid ${what}${where}: ${issue?.message ?? 'malformed'}`);
}

function tenantOf(): string {
  const tenantId = currentRequest()?.tenantId;
  if (!tenantId) throw new AuxilError('unauthenticated', 'this request was not authenticated');
  return tenantId;
}

/** A project reference in the URL: its id or its name (ids are UUIDs, which fit the name rule too). */
function projectRef(request: Request): string {
  return projectParam(request.params.project);
}

/**
 * A batch upload body: one JSON object per line, `{path, content, hash?}`. Every line is parsed
 * and checked before anything is stored, so a body cut off mid-stream or with one bad line
 * stores nothing.
 */
export function parseUploadBody(body: Buffer): UploadLine[] {
  const text = body.toString('utf8');
  const lines: UploadLine[] = [];
  let number = 0;
  for (const raw of text.split('\n')) {
    number++;
    if (raw.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw new AuxilError('invalid_request', `line ${number} of the upload is not valid JSON (cut off?); nothing was stored`);
    }
    lines.push(validate(UploadLine, value, `upload line ${number}`));
    if (lines.length > MAX_BATCH_FILES) {
      throw new AuxilError('payload_too_large', `an upload holds at most ${MAX_BATCH_FILES} files; split it into several requests`);
    }
  }
  if (!text.endsWith('\n') && text.length > 0) {
    // The last line must end with a newline: without it, a body cut at a line boundary would look complete.
    throw new AuxilError('invalid_request', 'the upload does not end with a newline (cut off?); nothing was stored');
  }
  return lines;
}

/** Every `/v1/projects` route: projects, sync, files, and the questions asked of a project's index. */
export function projectRoutes(services: Services): Router {
  const router = Router();
  const parseJson = express.json({ limit: MAX_JSON_BYTES });
  const json: RequestHandler = (request, response, next) => {
    if (!request.is(['application/json', '+json'])) {
      throw new AuxilError('unsupported_media_type', 'send this request body as JSON, with Content-Type: application/json');
    }
    parseJson(request, response, next);
  };
  const rawFile = express.raw({ type: () => true, limit: services.config.maxFileBytes });
  const rawBatch = express.raw({ type: () => true, limit: MAX_BATCH_BYTES });

  router.post('/v1/projects', json, async (request, response) => {
    const body = validate(CreateProjectRequest, request.body, 'project');
    response.status(201).json(await createProject(services, tenantOf(), body.name));
  });
  router.get('/v1/projects', async (_request, response) => {
    response.json({ projects: await listProjects(services, tenantOf()) });
  });
  router.get('/v1/projects/:project', async (request, response) => {
    response.json(await getProject(services, tenantOf(), projectRef(request)));
  });
  router.delete('/v1/projects/:project', async (request, response) => {
    await deleteProject(services, tenantOf(), projectRef(request));
    response.status(204).end();
  });

  router.post('/v1/projects/:project/manifest', json, async (request, response) => {
    const name = projectParam(request.params.project);
    const body = validate(ManifestRequest, request.body, 'manifest');
    response.json(await syncManifest(services, tenantOf(), name, body.files));
  });

  router.post(
    '/v1/projects/:project/files',
    (request, _response, next) => {
      const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
      if (type !== undefined && type !== 'application/x-ndjson' && type !== 'application/jsonl' && type !== 'text/plain') {
        throw new AuxilError(
          'unsupported_media_type',
          'send a batch upload as application/x-ndjson: one {"path","content"} object per line',
        );
      }
      projectParam(request.params.project);
      next();
    },
    rawBatch,
    async (request, response) => {
      const body: unknown = request.body;
      const lines = parseUploadBody(Buffer.isBuffer(body) ? body : Buffer.alloc(0));
      response.json(await uploadBatch(services, tenantOf(), projectParam(request.params.project), lines));
    },
  );

  router.put(
    '/v1/projects/:project/files/*path',
    // Everything that can be checked before the body is read is checked first, so a wrong request
    // fails fast and never costs a megabyte of upload.
    (request, response, next) => {
      if (isMultipart(request.headers['content-type'])) {
        throw new AuxilError(
          'unsupported_media_type',
          'send the file content as the raw request body (e.g. curl --data-binary @file), not as multipart form data',
        );
      }
      response.locals.project = projectParam(request.params.project);
      response.locals.path = filePathParam(request.params.path);
      next();
    },
    rawFile,
    async (request, response) => {
      const body: unknown = request.body;
      const content = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
      response.json(await putFile(services, tenantOf(), response.locals.project as string, response.locals.path as string, content));
    },
  );

  router.delete('/v1/projects/:project/files/*path', async (request, response) => {
    response.json(await deleteFile(services, tenantOf(), projectRef(request), filePathParam(request.params.path)));
  });

  router.get('/v1/projects/:project/clones', async (request, response) => {
    const query = validate(ClonesQuery, request.query, 'query');
    response.json(await listClones(services, tenantOf(), projectRef(request), query));
  });
  router.get('/v1/projects/:project/findings', async (request, response) => {
    const query = validate(FindingsQuery, request.query, 'query');
    response.json(await fileFindings(services, tenantOf(), projectRef(request), query.file));
  });
  router.get('/v1/projects/:project/findings/pages', async (request, response) => {
    const query = validate(FindingsPagesQuery, request.query, 'query');
    response.json(await findingsPage(services, tenantOf(), projectRef(request), query));
  });
  router.get('/v1/projects/:project/symbols', async (request, response) => {
    const query = validate(SymbolsQuery, request.query, 'query');
    response.json(await searchSymbols(services, tenantOf(), projectRef(request), query));
  });
  router.get('/v1/projects/:project/summary', async (request, response) => {
    validate(ProjectSummaryQuery, request.query, 'query');
    response.json(await projectSummary(services, tenantOf(), projectRef(request)));
  });
  router.get('/v1/projects/:project/conventions', async (request, response) => {
    const file = typeof request.query.file === 'string' ? filePathParam(request.query.file) : undefined;
    response.json(await getConventions(services, tenantOf(), projectRef(request), file));
  });
  router.post('/v1/projects/:project/similar', json, async (request, response) => {
    const body = validate(SimilarRequest, request.body, 'similar-code request');
    response.json(await findSimilar(services, tenantOf(), projectRef(request), body));
  });

  router.post('/v1/projects/:project/analyses', async (request, response) => {
    const started = await services.analyses.start(tenantOf(), projectRef(request));
    response.status(202).json({ id: started.id, status: started.status });
  });
  router.get('/v1/projects/:project/analyses/:id', async (request, response) => {
    const id = request.params.id;
    if (typeof id !== 'string' || !/^[A-Za-z0-9-]{1,64}$/.test(id)) throw new AuxilError('invalid_request', 'the analysis id is malformed');
    const { wait } = validate(AnalysisQuery, request.query, 'analysis query');
    // A client that goes away while waiting ends the wait; nothing is left listening.
    const gone = new AbortController();
    response.once('close', () => gone.abort());
    response.json(await services.analyses.get(tenantOf(), projectRef(request), id, { waitMs: (wait ?? 0) * 1000, signal: gone.signal }));
  });

  router.use(suppressionRoutes(services));
  return router;
}
