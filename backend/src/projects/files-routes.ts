import { ProjectName, checkProjectPath, describePathProblem } from '@auxil/protocol';
import express, { Router } from 'express';
import { AuxilError } from '../errors.js';
import { currentRequest } from '../request-context.js';
import type { Services } from '../services.js';
import { updateFile } from './update-file-use-case.js';

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

/** `/v1/projects/:project/files/*path`: one file's content in, its findings out. */
export function filesRoutes(services: Services): Router {
  const router = Router();
  const rawBody = express.raw({ type: () => true, limit: services.config.maxFileBytes });

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
    rawBody,
    async (request, response) => {
      const tenantId = currentRequest()?.tenantId;
      if (!tenantId) throw new AuxilError('unauthenticated', 'this request was not authenticated');
      const body: unknown = request.body;
      const result = await updateFile(services, {
        tenantId,
        projectName: response.locals.project as string,
        path: response.locals.path as string,
        content: Buffer.isBuffer(body) ? body : Buffer.alloc(0),
      });
      response.json(result);
    },
  );

  return router;
}
