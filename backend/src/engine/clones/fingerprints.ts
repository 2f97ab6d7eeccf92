/**
 * Fingerprints by winnowing (Schleimer, Wilkerson & Aiken, 2003): hash every k-gram of normalised
 * tokens, then keep the minimum hash of every window of `w` consecutive k-grams. Any run of at
 * least w + k − 1 equal tokens in two files is guaranteed to share a kept fingerprint, while only
 * about 2/(w + 1) of the positions are stored.
 */

const BASE = 0x01000193;

/** Murmur3's finaliser: spreads the bits of the polynomial hash so minima are unbiased. */
export function mix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Hash of every k-gram (`codes.length − k + 1` entries; none when the file is shorter than k). */
export function kgramHashes(codes: ArrayLike<number>, k: number, from = 0, to = codes.length): Uint32Array {
  const count = to - from - k + 1;
  if (count <= 0) return new Uint32Array(0);
  let power = 1;
  for (let i = 1; i < k; i++) power = Math.imul(power, BASE);
  const hashes = new Uint32Array(count);
  let hash = 0;
  for (let i = 0; i < k; i++) hash = (Math.imul(hash, BASE) + (codes[from + i] as number)) | 0;
  hashes[0] = mix32(hash);
  for (let i = 1; i < count; i++) {
    hash = (Math.imul((hash - Math.imul(codes[from + i - 1] as number, power)) | 0, BASE) + (codes[from + i + k - 1] as number)) | 0;
    hashes[i] = mix32(hash);
  }
  return hashes;
}

export interface Fingerprints {
  readonly hashes: Uint32Array;
  /** Token position where each fingerprint's k-gram starts; ascending. */
  readonly positions: Uint32Array;
}

/** The winnowed fingerprints of a token sequence. */
export function winnow(codes: ArrayLike<number>, k: number, w: number): Fingerprints {
  const grams = kgramHashes(codes, k);
  const n = grams.length;
  if (n === 0) return { hashes: new Uint32Array(0), positions: new Uint32Array(0) };
  const hashes: number[] = [];
  const positions: number[] = [];
  // A monotonic deque of k-gram indexes whose hashes increase from front to back; the front is the
  // minimum of the current window (the rightmost one on ties, as the algorithm prescribes).
  const deque = new Int32Array(n);
  let head = 0;
  let tail = 0;
  let lastSelected = -1;
  const window = Math.min(w, n);
  for (let i = 0; i < n; i++) {
    const hash = grams[i] as number;
    while (tail > head && (grams[deque[tail - 1] as number] as number) >= hash) tail--;
    deque[tail++] = i;
    if ((deque[head] as number) <= i - window) head++;
    if (i >= window - 1) {
      const selected = deque[head] as number;
      if (selected !== lastSelected) {
        hashes.push(grams[selected] as number);
        positions.push(selected);
        lastSelected = selected;
      }
    }
  }
  return { hashes: Uint32Array.from(hashes), positions: Uint32Array.from(positions) };
}
