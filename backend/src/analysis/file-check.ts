/** Why a file was left out of an analysis; reported in the `skipped` list. */
export type SkipReason = 'binary' | 'too-large' | 'invalid-utf8' | 'minified' | 'unreadable' | 'symlink';

/** Files above this size are skipped by default: generated or data, rarely hand-written code. */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decides whether file content is hand-written text worth analysing, and decodes it. Checks run
 * cheapest first and look at a bounded prefix where they can, so a 20 MB file costs little.
 */
export function checkContent(bytes: Uint8Array, maxBytes = DEFAULT_MAX_FILE_BYTES): { text: string } | { skip: SkipReason } {
  if (bytes.byteLength > maxBytes) return { skip: 'too-large' };
  const probe = bytes.subarray(0, 8192);
  if (probe.includes(0)) return { skip: 'binary' };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { skip: 'invalid-utf8' };
  }
  if (isMinified(text)) return { skip: 'minified' };
  return { text };
}

/**
 * Minified bundles: very long lines and few of them. A hand-written file may have one long line
 * (a data URI, a long string); a bundle is mostly long lines.
 */
export function isMinified(text: string): boolean {
  if (text.length < 2048) return false;
  let lines = 1;
  let longest = 0;
  let current = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      lines++;
      if (current > longest) longest = current;
      current = 0;
    } else current++;
  }
  if (current > longest) longest = current;
  return longest > 1000 && text.length / lines > 250;
}
