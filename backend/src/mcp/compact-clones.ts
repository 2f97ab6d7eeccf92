import type { CloneClassInfo } from '@auxil/protocol';
import { z } from 'zod';

/** Copies listed per clone class; the rest are counted. A class of 40 copies would otherwise fill a context. */
export const LISTED_COPIES = 5;

export const CompactCloneClass = z.object({
  id: z.string().describe('Stable id of the class'),
  cloneType: z.number().int().describe('1 identical, 2 renamed identifiers/literals, 3 near-miss'),
  similarity: z.number().describe('0–1'),
  lines: z.number().int().describe('Lines of one copy'),
  copies: z
    .array(z.object({ file: z.string(), startLine: z.number().int(), endLine: z.number().int() }))
    .describe(`Where the copies are (at most ${LISTED_COPIES})`),
  moreCopies: z.number().int().describe('Copies not listed'),
});
export type CompactCloneClass = z.infer<typeof CompactCloneClass>;

/** A clone class as tools show it: its copies listed up to LISTED_COPIES (never pairs), the rest counted. */
export function compactClass(cloneClass: CloneClassInfo): CompactCloneClass {
  return {
    id: cloneClass.id,
    cloneType: cloneClass.type,
    similarity: cloneClass.similarity,
    lines: cloneClass.lines,
    copies: cloneClass.fragments.slice(0, LISTED_COPIES),
    moreCopies: Math.max(0, cloneClass.fragments.length - LISTED_COPIES),
  };
}
