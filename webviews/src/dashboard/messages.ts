import { ProjectSummaryRequest } from '@auxil/protocol';
import { z } from 'zod';

/**
 * The messages between the dashboard webview and the extension that hosts it, as one tagged union
 * per direction. Both sides parse what they receive with these schemas and drop anything else: the
 * webview is treated as untrusted input, and so is whatever reaches the webview's window.
 */

/** Extension → webview. */
export const ToDashboard = z.discriminatedUnion('type', [
  z.object({ type: z.literal('summary'), summary: ProjectSummaryRequest.result }),
  z.object({ type: z.literal('error'), message: z.string().max(2000) }),
]);
export type ToDashboard = z.infer<typeof ToDashboard>;

/** Webview → extension. */
export const FromDashboard = z.discriminatedUnion('type', [
  /** The page has loaded and listens: send the summary. */
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('refresh') }),
  /** Open a hot file; the extension opens it only if it is one of the summary's own files. */
  z.object({ type: z.literal('openFile'), uri: z.string().max(4096) }),
]);
export type FromDashboard = z.infer<typeof FromDashboard>;
