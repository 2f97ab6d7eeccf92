import { z } from 'zod';

/** A clone class id as the API hands it out (GET clones, a finding's id before its ':'). */
export const ClassId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be a clone class id as GET /v1/projects/:project/clones returns it');

/** A clone class hidden for everyone working on the project. */
export const SuppressionInfo = z.object({
  classId: ClassId,
  createdAt: z.string().describe('ISO 8601 time'),
  /** Id of the API token that suppressed the class. */
  createdBy: z.string(),
});
export type SuppressionInfo = z.infer<typeof SuppressionInfo>;

export const SuppressionList = z.object({ suppressions: z.array(SuppressionInfo) });
export type SuppressionList = z.infer<typeof SuppressionList>;

export const RemoveSuppressionResponse = z.object({ removed: z.boolean() });

/** One finished analysis in a project's history: how duplicated the code was then. */
export const TrendPoint = z.object({
  at: z.string().describe('When the analysis finished, ISO 8601'),
  revision: z.number().int(),
  files: z.number().int(),
  lines: z.number().int(),
  duplicatedLines: z.number().int(),
  /** Share of lines inside a copy, 0–1. */
  duplication: z.number(),
  cloneClasses: z.number().int(),
});
export const TrendResponse = z.object({ points: z.array(TrendPoint).describe('Oldest first') });
export type TrendResponse = z.infer<typeof TrendResponse>;

export const TrendQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(30) });

/** Path of one suppression, relative to the server URL. */
export function suppressionPath(project: string, classId: string): string {
  return `/v1/projects/${encodeURIComponent(project)}/suppressions/${encodeURIComponent(classId)}`;
}
