import { z } from 'zod';
import { HotFile, ProjectSummary } from './api.js';

/** The language server's view of its link to the backend, as the status bar shows it. */
export const ConnectionState = z.enum(['connecting', 'connected', 'syncing', 'offline', 'signedOut']);
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
    /** With state `syncing`: files synced of those to sync. */
    progress: z.object({ done: z.number().int().min(0), total: z.number().int().min(0) }).optional(),
    /** The latest batch analysis started from this editor (auxil/analyzeWorkspace), while it runs and once it ends. */
    analysis: z
      .object({
        id: z.string(),
        status: z.enum(['queued', 'running', 'done', 'failed']),
        filesDone: z.number().int().min(0),
        filesTotal: z.number().int().min(0),
      })
      .optional(),
  }),
} as const;
export type StatusParams = z.infer<typeof StatusNotification.params>;

/** How a kind of finding shows in the Problems panel; `off` hides it. */
export const FindingSeverity = z.enum(['error', 'warning', 'information', 'hint', 'off']);
export type FindingSeverity = z.infer<typeof FindingSeverity>;

/** Severity per clone type and for convention deviations. */
export const SeveritySettings = z.object({
  type1: FindingSeverity.default('warning'),
  type2: FindingSeverity.default('warning'),
  type3: FindingSeverity.default('information'),
  convention: FindingSeverity.default('information'),
});
export type SeveritySettings = z.infer<typeof SeveritySettings>;

/** Settings the extension hands to the language server at start and whenever they change. */
export const ServerSettings = z.object({
  serverUrl: z.string().url(),
  /** API token; null when signed out. */
  token: z.string().min(1).nullable(),
  /** Project name on the backend; defaults to the workspace folder's name. */
  project: z.string().optional(),
  /** Milliseconds to wait after the last keystroke before sending a file. */
  debounceMs: z.number().int().min(0).max(10_000).default(100),
  /** Delay before the first reconnect attempt; doubles up to reconnectMaxMs. */
  reconnectMinMs: z.number().int().min(10).default(500),
  reconnectMaxMs: z.number().int().min(10).default(10_000),
  /** Glob patterns (gitignore syntax, relative to the folder) never sent, on top of .gitignore. */
  exclude: z.array(z.string().max(1000)).max(1000).default([]),
  severity: SeveritySettings.default(SeveritySettings.parse({})),
  /** Shortest duplicated fragment, in tokens, shown as a diagnostic. */
  minTokens: z.number().int().min(1).max(10_000).default(50),
  /** Publish diagnostics for files not open in an editor too. */
  publishClosedFiles: z.boolean().default(true),
  /**
   * Where the diagnostics guide (docs/diagnostics.md) is published; each diagnostic's code links to
   * its section. Default: the copy shipped next to the language server, as a file URL.
   */
  docsUrl: z.string().url().optional(),
});
export type ServerSettings = z.infer<typeof ServerSettings>;

/** `auxil/configure` — extension → language server: the settings or the token changed. */
export const ConfigureNotification = {
  method: 'auxil/configure',
  params: ServerSettings,
} as const;

/*
 * Custom requests (extension → language server). Every one is cancellable; params are validated
 * by the language server with these schemas, results are what it answers.
 */

const Uri = z.string().min(1);
const CloneType = z.union([z.literal(1), z.literal(2), z.literal(3)]);

/** One copy of a clone class, with the URI the editor opens. */
export const CopyLocation = z.object({
  uri: Uri,
  /** Workspace-relative path ('/' separators). */
  file: z.string(),
  startLine: z.number().int().min(1),
  endLine: z.number().int().min(1),
});
export type CopyLocation = z.infer<typeof CopyLocation>;

export const CloneClassItem = z.object({
  id: z.string(),
  cloneType: CloneType,
  tokens: z.number().int(),
  lines: z.number().int(),
  /** True when the class is suppressed for the project (listed only when asked for). */
  suppressed: z.boolean(),
  fragments: z.array(CopyLocation),
});
export type CloneClassItem = z.infer<typeof CloneClassItem>;

/** `auxil/cloneClasses` — the clone classes for the tree, largest first, one page at a time. */
export const CloneClassesRequest = {
  method: 'auxil/cloneClasses',
  params: z.strictObject({
    /** Workspace-relative path: only classes with a copy in this file. */
    file: z.string().max(1024).optional(),
    cursor: z.string().max(32).optional(),
    limit: z.number().int().min(1).max(500).default(100),
    /** Also list suppressed classes (marked `suppressed: true`). */
    includeSuppressed: z.boolean().default(false),
  }),
  result: z.object({ classes: z.array(CloneClassItem), nextCursor: z.string().nullable(), total: z.number().int() }),
} as const;
export type CloneClassesParams = z.input<typeof CloneClassesRequest.params>;
export type CloneClassesResult = z.infer<typeof CloneClassesRequest.result>;

/** `auxil/projectSummary` — project health for the dashboard: the backend's summary, with links and the trend. */
export const ProjectSummaryRequest = {
  method: 'auxil/projectSummary',
  params: z.strictObject({}).optional(),
  result: ProjectSummary.omit({ revision: true }).extend({
    hotFiles: z.array(HotFile.extend({ uri: Uri })),
    /** Oldest first. */
    trend: z.array(z.object({ at: z.string(), duplicationPercent: z.number(), cloneClasses: z.number().int() })),
  }),
} as const;
export type ProjectSummaryResult = z.infer<typeof ProjectSummaryRequest.result>;

const Position = z.object({ line: z.number().int().min(0), character: z.number().int().min(0) });

/** `auxil/findSimilar` — code elsewhere in the project like the selection (its own place excluded). */
export const FindSimilarRequest = {
  method: 'auxil/findSimilar',
  params: z.strictObject({ uri: Uri, range: z.object({ start: Position, end: Position }) }),
  result: z.object({
    matches: z.array(
      CopyLocation.extend({
        /** 0–1. */
        similarity: z.number(),
        cloneType: CloneType,
        /** The first lines of the match. */
        excerpt: z.string(),
      }),
    ),
  }),
} as const;
export type FindSimilarParams = z.infer<typeof FindSimilarRequest.params>;
export type FindSimilarResult = z.infer<typeof FindSimilarRequest.result>;

/** `auxil/conventions` — the project's conventions and the places that deviate from them. */
export const ConventionsRequest = {
  method: 'auxil/conventions',
  params: z.strictObject({}).optional(),
  result: z.object({
    conventions: z.array(
      z.object({
        id: z.string(),
        rule: z.string(),
        expected: z.string(),
        count: z.number().int(),
        total: z.number().int(),
        share: z.number(),
      }),
    ),
    deviations: z.array(
      z.object({
        uri: Uri,
        file: z.string(),
        line: z.number().int(),
        conventionId: z.string(),
        expected: z.string(),
        actual: z.string(),
        message: z.string(),
      }),
    ),
  }),
} as const;
export type ConventionsResult = z.infer<typeof ConventionsRequest.result>;

/** `auxil/analyzeWorkspace` — starts a full analysis; progress and completion come as `auxil/status`. */
export const AnalyzeWorkspaceRequest = {
  method: 'auxil/analyzeWorkspace',
  params: z.strictObject({}).optional(),
  result: z.object({ analysisId: z.string() }),
} as const;
export type AnalyzeWorkspaceResult = z.infer<typeof AnalyzeWorkspaceRequest.result>;

/** `auxil/setSuppressed` — hides (or shows again) a clone class for the whole team. */
export const SetSuppressedRequest = {
  method: 'auxil/setSuppressed',
  params: z.strictObject({ classId: z.string().min(1).max(200), suppressed: z.boolean() }),
  result: z.object({ ok: z.literal(true) }),
} as const;
export type SetSuppressedParams = z.infer<typeof SetSuppressedRequest.params>;

/** `auxil/indexChanged` — language server → extension: findings or clone classes changed; views refresh. */
export const IndexChangedNotification = {
  method: 'auxil/indexChanged',
  params: z.object({ revision: z.number().int().min(0) }),
} as const;

/** Commands the language server's code actions invoke. */
export const ClientCommands = {
  /** args `[CopyLocation-like { uri, startLine, endLine }]`: open that copy and select its lines. */
  openCopy: 'auxil.openCopy',
  /** args `[{ uri, startLine, endLine }, { uri, startLine, endLine }]`: diff editor between two copies. */
  compareCopies: 'auxil.compareCopies',
} as const;

/** Commands the language server executes itself (`workspace/executeCommand`). */
export const ServerCommands = {
  /** args `[classId]`: suppress a clone class for the project. */
  suppressClass: 'auxil.suppressClass',
} as const;

/** Argument of `auxil.openCopy` and each argument of `auxil.compareCopies`. */
export const CopyArgument = z.object({ uri: Uri, startLine: z.number().int().min(1), endLine: z.number().int().min(1) });
export type CopyArgument = z.infer<typeof CopyArgument>;
