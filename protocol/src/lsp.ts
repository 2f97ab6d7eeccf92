import { z } from 'zod';

/** The language server's view of its link to the backend, as the status bar shows it. */
export const ConnectionState = z.enum(['connecting', 'connected', 'offline', 'signedOut']);
export type ConnectionState = z.infer<typeof ConnectionState>;

/** `auxil/status` — language server → extension: the connection changed. */
export const StatusNotification = {
  method: 'auxil/status',
  params: z.object({
    state: ConnectionState,
    serverUrl: z.string(),
    project: z.string(),
    /** Why the state is what it is, in words for the tooltip. */
    detail: z.string(),
  }),
} as const;
export type StatusParams = z.infer<typeof StatusNotification.params>;

/** Settings the extension hands to the language server at start and whenever they change. */
export const ServerSettings = z.object({
  serverUrl: z.string().url(),
  /** API token; null when signed out. */
  token: z.string().min(1).nullable(),
  /** Project name on the backend; defaults to the workspace folder's name. */
  project: z.string().optional(),
  /** Milliseconds to wait after the last keystroke before sending a file. */
  debounceMs: z.number().int().min(0).max(10_000).default(300),
  /** Delay before the first reconnect attempt; doubles up to reconnectMaxMs. */
  reconnectMinMs: z.number().int().min(10).default(500),
  reconnectMaxMs: z.number().int().min(10).default(10_000),
});
export type ServerSettings = z.infer<typeof ServerSettings>;

/** `auxil/configure` — extension → language server: the settings or the token changed. */
export const ConfigureNotification = {
  method: 'auxil/configure',
  params: ServerSettings,
} as const;
