import type ts from 'typescript';
import { normalizedTokens, scanTokens } from '../tokens/token-scanner.js';
import { tokenSimilarity } from '../tokens/token-similarity.js';
import { candidateNode, type FunctionCandidate } from './function-candidates.js';
import type { CloneType } from './ground-truth.js';
import { addCommentLine, dedent, joinOrSplitLine, reindent } from './layout.js';
import { planRenames } from './renames.js';
import type { SeededRandom } from './seeded-random.js';
import { planStatementEdits, type StatementEditKind } from './statement-edits.js';
import { applyEdits, withoutEditsInside } from './text-edits.js';
import { NameMaker } from './word-list.js';

/** Normalised similarity a Type-3 copy must have to its original: clearly the same function, clearly edited. */
export const TYPE3_SIMILARITY = { min: 0.7, max: 0.9 } as const;

/** Type-3 originals are limited to this many tokens, so that one to three statement edits can reach {@link TYPE3_SIMILARITY}. */
export const TYPE3_MAX_TOKENS = 250;

const TYPE3_ATTEMPTS = 12;

/** The text of a planted copy, ready to be wrapped and written (column 0, no trailing newline). */
export interface CopyText {
  readonly text: string;
  readonly similarity: number;
  readonly edits: readonly string[];
}

function sameRawTokens(a: string, b: string): boolean {
  const left = scanTokens(a).map((token) => token.text);
  const right = scanTokens(b).map((token) => token.text);
  return left.length === right.length && left.every((text, index) => text === right[index]);
}

function baseIndentOf(sourceFile: ts.SourceFile, start: number): string {
  const lineStart = sourceFile.text.lastIndexOf('\n', start - 1) + 1;
  return /^[ \t]*/.exec(sourceFile.text.slice(lineStart, start))![0];
}

function typeOneCopy(original: string, random: SeededRandom, names: NameMaker): CopyText {
  const edits = ['re-indented'];
  let text = reindent(original);
  const comments = random.int(1, 2);
  for (let k = 0; k < comments; k++) text = addCommentLine(text, random, names);
  edits.push(`${comments} comment line(s) added`);
  const joined = joinOrSplitLine(text, random);
  if (joined !== text) edits.push('a line joined or split');
  return { text: joined, similarity: 1, edits };
}

/**
 * Makes the copy of a candidate function for a clone type, or undefined when this function cannot
 * carry that type (nothing to rename for Type-2; no edit mix landing in the Type-3 similarity band).
 * Every copy is checked against its definition before it is returned: Type-1 has exactly the
 * original's tokens; Type-2 has the same normalised tokens but different raw ones; Type-3's
 * normalised similarity lies in {@link TYPE3_SIMILARITY}.
 */
export function makeCopy(
  sourceFile: ts.SourceFile,
  candidate: FunctionCandidate,
  type: CloneType,
  random: SeededRandom,
): CopyText | undefined {
  const fn = candidateNode(sourceFile, candidate);
  if (fn === undefined) return undefined;
  const originalText = sourceFile.text.slice(candidate.start, candidate.end);
  const baseIndent = baseIndentOf(sourceFile, candidate.start);
  const names = new NameMaker(random, originalText);
  if (type === 1) {
    const copy = typeOneCopy(dedent(originalText, baseIndent), random, names);
    return sameRawTokens(copy.text, originalText) ? copy : undefined;
  }
  const renames = planRenames(fn, sourceFile, random, names);
  if (renames.renamed.size === 0 && renames.typesRenamed === 0) return undefined;
  const renameNote = `${renames.renamed.size} names, ${renames.typesRenamed} type names, ${renames.literalsChanged} literals changed`;
  const originalNormalized = normalizedTokens(originalText);
  if (type === 2) {
    const text = dedent(applyEdits(originalText, renames.edits, candidate.start), baseIndent);
    const copyNormalized = normalizedTokens(text);
    const same =
      copyNormalized.length === originalNormalized.length && copyNormalized.every((token, index) => token === originalNormalized[index]);
    return same && !sameRawTokens(text, originalText) ? { text, similarity: 1, edits: [renameNote] } : undefined;
  }
  if (candidate.tokens > TYPE3_MAX_TOKENS) return undefined;
  const locals = [...renames.renamed.values()];
  const local = locals.length > 0 ? random.pick(locals) : 'undefined';
  const allKinds: StatementEditKind[] = ['insert', 'delete', 'modify'];
  for (let attempt = 0; attempt < TYPE3_ATTEMPTS; attempt++) {
    const kinds = random.shuffle(allKinds).slice(0, random.int(1, 3));
    const plan = planStatementEdits(fn, sourceFile, kinds, local, random, names, candidate.tokens);
    if (plan === undefined) continue;
    const edits = [...withoutEditsInside(renames.edits, plan.deleted), ...plan.edits];
    const text = dedent(applyEdits(originalText, edits, candidate.start), baseIndent);
    const similarity = tokenSimilarity(originalNormalized, normalizedTokens(text), 0.5);
    if (similarity >= TYPE3_SIMILARITY.min && similarity <= TYPE3_SIMILARITY.max)
      return { text, similarity, edits: [renameNote, ...plan.applied] };
  }
  return undefined;
}
