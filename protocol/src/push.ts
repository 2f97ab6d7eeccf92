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

/** Every message the backend sends on `GET /v1/projects/:project/events` (WebSocket). */
export const PushEvent = z.discriminatedUnion('type', [SubscribedEvent, FindingsEvent]);
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
