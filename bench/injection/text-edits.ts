/** Replace [start, end) of a text with `text`; start === end inserts. Offsets are in the original text. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Edits that overlap (other than touching at a point) cannot be applied together. */
export class OverlappingEditsError extends Error {
  override readonly name = 'OverlappingEditsError';
}

/**
 * Applies edits to `text`, where the edits' offsets are relative to `base` (so edits computed on a
 * whole file can be applied to the slice of one function). Insertions at the same offset keep
 * their given order and come before a replacement starting there.
 */
export function applyEdits(text: string, edits: readonly TextEdit[], base = 0): string {
  const ordered = edits
    .map((edit, order) => ({ ...edit, order }))
    .sort((a, b) => a.start - b.start || a.end - a.start - (b.end - b.start) || a.order - b.order);
  let result = '';
  let cursor = 0;
  for (const edit of ordered) {
    const start = edit.start - base;
    const end = edit.end - base;
    if (start < cursor) throw new OverlappingEditsError(`edit at ${edit.start} overlaps an earlier one`);
    if (start < 0 || end > text.length) throw new RangeError(`edit ${edit.start}–${edit.end} lies outside the text`);
    result += text.slice(cursor, start) + edit.text;
    cursor = end;
  }
  return result + text.slice(cursor);
}

/** Drops edits lying inside any of the given ranges (for example inside a deleted statement). */
export function withoutEditsInside(edits: readonly TextEdit[], ranges: readonly { start: number; end: number }[]): TextEdit[] {
  return edits.filter((edit) => !ranges.some((range) => edit.start >= range.start && edit.end <= range.end && edit.start < range.end));
}
