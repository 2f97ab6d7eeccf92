import { z } from 'zod';
import { ProjectPath } from './paths.js';

/** A span of whole lines in a file, 1-based and inclusive. */
export const LineSpan = z.object({
  startLine: z.number().int().min(1),
  endLine: z.number().int().min(1),
});
export type LineSpan = z.infer<typeof LineSpan>;

/** Where another copy of a duplicated fragment lives. */
export const CloneLocation = LineSpan.extend({ file: ProjectPath });
export type CloneLocation = z.infer<typeof CloneLocation>;

/**
 * A fragment of this file that also exists elsewhere. Type 1 copies are identical apart from
 * layout and comments; type 2 copies differ only in identifiers and literals.
 */
export const DuplicateFinding = LineSpan.extend({
  kind: z.literal('duplicate'),
  /** Stable for the same fragment and copies, so clients can diff finding sets. */
  id: z.string(),
  cloneType: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  /** Length of the shared fragment in tokens. */
  tokens: z.number().int().min(1),
  message: z.string(),
  others: z.array(CloneLocation).min(1),
});
export type DuplicateFinding = z.infer<typeof DuplicateFinding>;

/** A place where the file departs from a convention the rest of the codebase follows. */
export const ConventionFinding = LineSpan.extend({
  kind: z.literal('convention'),
  /** Stable for the same convention, place and spelling. */
  id: z.string(),
  /** The convention's id, e.g. naming:typescript:function. */
  conventionId: z.string(),
  /** 0-based column of the named declaration, for naming conventions. */
  column: z.number().int().min(0).optional(),
  /** The style or place the codebase uses (camelCase, test-folder, …). */
  expected: z.string(),
  /** The style or place found here. */
  actual: z.string(),
  message: z.string(),
});
export type ConventionFinding = z.infer<typeof ConventionFinding>;

/** Everything Auxil reports about one place in a file. */
export const Finding = z.discriminatedUnion('kind', [DuplicateFinding, ConventionFinding]);
export type Finding = z.infer<typeof Finding>;

/** The complete, current findings of one file, computed for the content with the given hash. */
export const FileFindings = z.object({
  file: ProjectPath,
  /** SHA-256 (hex) of the file's UTF-8 content the findings belong to. */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  /**
   * The project index's revision the findings were computed at. An upload's answer and a pushed
   * event may arrive in either order; a client keeps, per file, the findings of the highest
   * revision it has seen on its current connection.
   */
  revision: z.number().int().min(0),
  /** Its copies; convention deviations come with GET findings (FileReport). */
  findings: z.array(DuplicateFinding),
});
export type FileFindings = z.infer<typeof FileFindings>;

/** Everything Auxil reports about a file: its copies and its convention deviations, by line. */
export const FileReport = FileFindings.extend({ findings: z.array(Finding) });
export type FileReport = z.infer<typeof FileReport>;

/** Other copies named in a duplicate finding's message; the rest are counted. */
const COPIES_IN_MESSAGE = 3;

/**
 * The message of a duplicate finding, the same wherever it is built (the backend per file, the
 * language server from the project's clone classes): the clone's size and kind, and where else
 * it is. `otherCount` counts copies left out of `others` (a list capped by the caller).
 */
export function duplicateMessage(
  clone: { readonly type: 1 | 2 | 3; readonly tokens: number; readonly similarity: number },
  others: readonly CloneLocation[],
  otherCount = others.length,
): string {
  const places = others.slice(0, COPIES_IN_MESSAGE).map((copy) => `${copy.file}:${copy.startLine}-${copy.endLine}`);
  const more = otherCount - places.length;
  const where = places.join(', ') + (more > 0 ? ` and ${more} more place${more === 1 ? '' : 's'}` : '');
  const kind =
    clone.type === 1
      ? 'identical'
      : clone.type === 2
        ? 'same code with renamed identifiers or literals'
        : `a near copy, ${Math.round(clone.similarity * 100)}% similar`;
  return `Duplicated code (${clone.tokens} tokens, ${kind}) also in ${where}`;
}

/** A deviation from one of the codebase's conventions, as a finding of its file. */
export function conventionFinding(deviation: {
  readonly conventionId: string;
  readonly line: number;
  readonly column?: number | undefined;
  readonly expected: string;
  readonly actual: string;
  readonly message: string;
}): ConventionFinding {
  return {
    kind: 'convention',
    id: `${deviation.conventionId}:${deviation.line}:${deviation.actual}`,
    conventionId: deviation.conventionId,
    startLine: deviation.line,
    endLine: deviation.line,
    ...(deviation.column !== undefined ? { column: deviation.column } : {}),
    expected: deviation.expected,
    actual: deviation.actual,
    message: deviation.message,
  };
}

/** Lines inside at least one of the inclusive [start, end] spans: overlapping spans count once. */
export function coveredLines(spans: readonly (readonly [number, number])[]): number {
  if (spans.length === 0) return 0;
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  let lines = 0;
  let [start, end] = sorted[0] as readonly [number, number];
  for (const [from, to] of sorted.slice(1)) {
    if (from <= end + 1) end = Math.max(end, to);
    else {
      lines += end - start + 1;
      [start, end] = [from, to];
    }
  }
  return lines + end - start + 1;
}
