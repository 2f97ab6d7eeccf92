import { z } from 'zod';
import { FileFindings } from './findings.js';
import { ProjectName } from './paths.js';

/** Backend → client, first message on a project's event socket: the subscription is live. */
export const SubscribedEvent = z.object({
  type: z.literal('subscribed'),
  project: ProjectName,
});

/** Backend → client: a file's findings changed (any client's edit can cause this). */
export const FindingsEvent = FileFindings.extend({
  type: z.literal('findings'),
  project: ProjectName,
});
export type FindingsEvent = z.infer<typeof FindingsEvent>;

/**
 * Backend → client: many files changed at once (a sync, a batch upload, a catch-up with another
 * process's changes); clients fetch fresh findings for the files they show.
 */
export const IndexChangedEvent = z.object({
  type: z.literal('index-changed'),
  project: ProjectName,
  revision: z.number().int().min(0),
  /** Files changed, when few enough to list (at most 100); absent means "any file". */
  files: z.array(z.string()).optional(),
});
export type IndexChangedEvent = z.infer<typeof IndexChangedEvent>;

/** Backend → client: a batch analysis advanced or finished. */
export const AnalysisEvent = z.object({
  type: z.literal('analysis'),
  project: ProjectName,
  id: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  filesDone: z.number().int().min(0),
  filesTotal: z.number().int().min(0),
});
export type AnalysisEvent = z.infer<typeof AnalysisEvent>;

/** Every message the backend sends on `GET /v1/projects/:project/events` (WebSocket). */
export const PushEvent = z.discriminatedUnion('type', [SubscribedEvent, FindingsEvent, IndexChangedEvent, AnalysisEvent]);
export type PushEvent = z.infer<typeof PushEvent>;

/** Path of a project's event socket, relative to the server URL. */
export function eventsPath(project: string): string {
  return `/v1/projects/${encodeURIComponent(project)}/events`;
}

/** Path of a file resource, relative to the server URL, with every segment encoded. */
export function filePath(project: string, path: string): string {
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  return `/v1/projects/${encodeURIComponent(project)}/files/${encoded}`;
}
