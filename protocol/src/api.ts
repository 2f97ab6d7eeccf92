import { z } from 'zod';
import { CloneLocation, FileReport } from './findings.js';
import { ProjectName, ProjectPath } from './paths.js';

/*
 * The REST API's request and response bodies (v1). The backend validates every request with these
 * schemas and builds its OpenAPI document from them; clients (the language server, the MCP tools,
 * scripts) parse responses with them.
 */

/** Most entries in one sync manifest (documented in docs/api.md). */
export const MAX_MANIFEST_FILES = 200_000;
/** Most files in one batch upload. */
export const MAX_BATCH_FILES = 10_000;
/** Largest batch upload body, uncompressed, in bytes. */
export const MAX_BATCH_BYTES = 64 * 1024 * 1024;
/** Largest snippet for a similar-code query, in bytes. */
export const MAX_SNIPPET_BYTES = 64 * 1024;

const Sha256 = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'must be the SHA-256 of the content as 64 lowercase hex digits')
  .describe('SHA-256 of the UTF-8 content, lowercase hex');
const Timestamp = z.string().describe('ISO 8601 time');

export const CreateProjectRequest = z.strictObject({ name: ProjectName.describe('Unique within the tenant') });
export type CreateProjectRequest = z.infer<typeof CreateProjectRequest>;

export const ProjectInfo = z.object({
  id: z.string(),
  name: ProjectName,
  createdAt: Timestamp,
  /** Bumped by every change to the project's files. */
  revision: z.number().int().min(0),
  files: z.number().int().min(0),
});
export type ProjectInfo = z.infer<typeof ProjectInfo>;

export const ProjectList = z.object({ projects: z.array(ProjectInfo) });
export type ProjectList = z.infer<typeof ProjectList>;

export const ManifestEntry = z.strictObject({
  path: ProjectPath,
  hash: Sha256,
  size: z.number().int().min(0).describe('Content length in bytes'),
});
export type ManifestEntry = z.infer<typeof ManifestEntry>;

export const ManifestRequest = z.strictObject({
  files: z.array(ManifestEntry).max(MAX_MANIFEST_FILES, `a manifest lists at most ${MAX_MANIFEST_FILES} files`),
});
export type ManifestRequest = z.infer<typeof ManifestRequest>;

export const ManifestResponse = z.object({
  /** Paths whose content the backend lacks: upload these. */
  missing: z.array(ProjectPath),
  /** Files the backend had content for already (same hash elsewhere) and now holds at their path. */
  linked: z.number().int().min(0),
  /** Files the project had that the manifest no longer lists, now removed. */
  removed: z.number().int().min(0),
  revision: z.number().int().min(0),
});
export type ManifestResponse = z.infer<typeof ManifestResponse>;

/** One line of a batch upload (`application/x-ndjson`, optionally gzip-encoded). */
export const UploadLine = z.strictObject({
  path: ProjectPath,
  content: z.string(),
  /** When given, the backend checks the content against it. */
  hash: Sha256.optional(),
});
export type UploadLine = z.infer<typeof UploadLine>;

export const UploadResponse = z.object({
  /** Files whose content changed. */
  stored: z.number().int().min(0),
  /** Files sent with the content the backend already had. */
  unchanged: z.number().int().min(0),
  revision: z.number().int().min(0),
});
export type UploadResponse = z.infer<typeof UploadResponse>;

export const DeleteFileResponse = z.object({
  removed: z.boolean(),
  /** Other files whose findings changed; their findings go out on the push channel. */
  affected: z.number().int().min(0),
  revision: z.number().int().min(0),
});
export type DeleteFileResponse = z.infer<typeof DeleteFileResponse>;

export const CloneTypeNumber = z.union([z.literal(1), z.literal(2), z.literal(3)]);

export const CloneClassInfo = z.object({
  id: z.string(),
  type: CloneTypeNumber,
  similarity: z.number(),
  tokens: z.number().int(),
  lines: z.number().int(),
  fragments: z.array(CloneLocation),
});
export type CloneClassInfo = z.infer<typeof CloneClassInfo>;

export const ClonesQuery = z.strictObject({
  file: ProjectPath.optional().describe('Only classes with a copy in this file'),
  folder: z.string().max(1024).optional().describe('Only classes with a copy under this folder (path prefix, no trailing slash)'),
  type: z.enum(['1', '2', '3']).optional().describe('Only classes of this clone type'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(32).optional().describe('From the previous page'),
});
export type ClonesQuery = z.infer<typeof ClonesQuery>;

export const ClonesPage = z.object({
  classes: z.array(CloneClassInfo),
  /** Classes matching the filter, over all pages. */
  total: z.number().int().min(0),
  nextCursor: z.string().optional(),
  revision: z.number().int().min(0),
});
export type ClonesPage = z.infer<typeof ClonesPage>;

export const FindingsQuery = z.strictObject({ file: ProjectPath });
export const FindingsResponse = FileReport;

/** Most files in one page of every file's findings. */
export const MAX_FINDINGS_PAGE_FILES = 500;
/**
 * Most other copies a duplicate finding lists in a page of findings (its message counts them all):
 * a class of n copies would otherwise cost n² locations over its files.
 */
export const MAX_FINDINGS_PAGE_OTHERS = 50;
/** A page of findings ends after the file that brings it to this many findings. */
export const MAX_FINDINGS_PER_PAGE = 1000;

export const FindingsPagesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(MAX_FINDINGS_PAGE_FILES).default(100),
  cursor: ProjectPath.optional().describe('From the previous page: the files after this path follow (it need not exist any more)'),
});
export type FindingsPagesQuery = z.infer<typeof FindingsPagesQuery>;

/**
 * Every file's findings, a page of files at a time, in path order. Each file carries the revision
 * it was computed at; later pages may be newer than earlier ones.
 */
export const FindingsPage = z.object({
  files: z.array(FileReport),
  nextCursor: z.string().optional(),
  revision: z.number().int().min(0),
});
export type FindingsPage = z.infer<typeof FindingsPage>;

export const SymbolsQuery = z.strictObject({
  q: z.string().min(1).max(200).describe('Name or part of a name; fuzzy'),
  kind: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
});
export type SymbolsQuery = z.infer<typeof SymbolsQuery>;

export const SymbolInfo = z.object({
  name: z.string(),
  kind: z.string(),
  file: ProjectPath,
  startLine: z.number().int(),
  endLine: z.number().int(),
  exported: z.boolean(),
  container: z.string().optional(),
  score: z.number(),
});
export const SymbolsResponse = z.object({ symbols: z.array(SymbolInfo) });
export type SymbolsResponse = z.infer<typeof SymbolsResponse>;

export const ConventionInfo = z.object({
  id: z.string().describe('Stable id, e.g. naming:typescript:function'),
  rule: z.string().describe('naming, file-naming or location'),
  expected: z.string().describe('The style or place the codebase uses (camelCase, test-folder, …)'),
  count: z.number().int().describe('Samples that follow it'),
  total: z.number().int().describe('Samples considered'),
  share: z.number(),
});
export const ConventionDeviation = z.object({
  file: ProjectPath,
  line: z.number().int(),
  conventionId: z.string(),
  expected: z.string(),
  actual: z.string(),
  message: z.string(),
});
export const ConventionsResponse = z.object({
  conventions: z.array(ConventionInfo),
  deviations: z.array(ConventionDeviation),
  revision: z.number().int().min(0),
});
export type ConventionsResponse = z.infer<typeof ConventionsResponse>;

/** A file among the most duplicated ones of a project. */
export const HotFile = z.object({
  file: ProjectPath,
  /** Lines inside at least one copy (overlapping copies count once). */
  duplicatedLines: z.number().int(),
  /** Clone classes with a copy in the file. */
  classes: z.number().int(),
});

/**
 * `GET /v1/projects/:project/summary`: the project's health as its index stands, without the
 * clone classes the team suppressed — what a dashboard shows, computed where the classes are.
 */
export const ProjectSummary = z.object({
  /** Files in the index (those in a language Auxil reads). */
  files: z.number().int(),
  lines: z.number().int(),
  duplicatedLines: z.number().int(),
  /** 0–100, two decimals. */
  duplicationPercent: z.number(),
  cloneClasses: z.number().int(),
  byType: z.object({ type1: z.number().int(), type2: z.number().int(), type3: z.number().int() }),
  /** Clone classes by size in lines, smallest bucket first (e.g. "< 10 lines"). */
  bySize: z.array(z.object({ label: z.string(), count: z.number().int() })),
  /** The most duplicated files, most duplicated lines first (at most 10). */
  hotFiles: z.array(HotFile),
  /** Deviations from the project's conventions, all files. */
  conventionFindings: z.number().int(),
  revision: z.number().int().min(0),
});
export type ProjectSummary = z.infer<typeof ProjectSummary>;
/** The summary takes no query parameters; an unknown one is a mistake worth telling. */
export const ProjectSummaryQuery = z.strictObject({});

export const SimilarRequest = z.strictObject({
  code: z.string().min(1).max(MAX_SNIPPET_BYTES, `a snippet is at most ${MAX_SNIPPET_BYTES} characters`),
  language: z.string().min(1).max(40).describe('Language id (typescript, python, …) or a file name whose extension tells it'),
  limit: z.number().int().min(1).max(50).default(10),
  excludeFile: ProjectPath.optional().describe('Leave out matches in this file'),
});
export type SimilarRequest = z.infer<typeof SimilarRequest>;

export const SimilarMatchInfo = z.object({
  file: ProjectPath,
  startLine: z.number().int(),
  endLine: z.number().int(),
  type: CloneTypeNumber,
  similarity: z.number(),
  tokens: z.number().int(),
});
export const SimilarResponse = z.object({ matches: z.array(SimilarMatchInfo), revision: z.number().int().min(0) });
export type SimilarResponse = z.infer<typeof SimilarResponse>;

export const AnalysisStatus = z.enum(['queued', 'running', 'done', 'failed']);

export const AnalysisInfo = z.object({
  id: z.string(),
  project: z.string(),
  status: AnalysisStatus,
  createdAt: Timestamp,
  startedAt: Timestamp.optional(),
  finishedAt: Timestamp.optional(),
  revision: z.number().int(),
  progress: z.object({
    filesDone: z.number().int(),
    filesTotal: z.number().int(),
    shardsDone: z.number().int(),
    shardsTotal: z.number().int(),
  }),
  timings: z.record(z.string(), z.number()),
  summary: z
    .object({
      files: z.number().int(),
      cloneClasses: z.number().int(),
      duplicatedLines: z.number().int(),
      lines: z.number().int(),
      duplication: z.number().describe('Share of lines inside a copy, 0–1'),
      classesDigest: z.string().describe('Digest of the clone class ids: equal for equal results'),
    })
    .optional(),
  error: z.string().optional(),
});
export type AnalysisInfo = z.infer<typeof AnalysisInfo>;

export const StartAnalysisResponse = z.object({ id: z.string(), status: AnalysisStatus });

/** Longest a `GET …/analyses/:id?wait=` holds the request open, in seconds. */
export const MAX_ANALYSIS_WAIT_S = 60;

export const AnalysisQuery = z.strictObject({
  wait: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_ANALYSIS_WAIT_S)
    .optional()
    .describe(
      `Seconds (≤ ${MAX_ANALYSIS_WAIT_S}) to hold the request until the analysis is done or failed; the answer comes at once when it is, and with the status as it stands when the time is up. Saves polling.`,
    ),
});
export type AnalysisQuery = z.infer<typeof AnalysisQuery>;
