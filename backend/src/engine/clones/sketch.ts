import { kgramHashes, mix32 } from './fingerprints.js';

/**
 * Locality-sensitive keys for near-miss detection. A unit's normalised tokens become a set of
 * shingles (q-grams); one-permutation MinHash (Li, Owen & Zhang, 2012) with rotation densification
 * (Shrivastava & Li, 2014) turns that set into BINS minima with one hash per shingle; BANDS groups
 * of ROWS minima are hashed into band keys. Two units share a band key with probability
 * 1 − (1 − J^ROWS)^BANDS for Jaccard similarity J: ≈ 0.88 at J = 0.35, ≈ 0.99 at J = 0.5.
 */
export const SHINGLE = 4;
export const ROWS = 2;
export const BANDS = 16;
const BINS = ROWS * BANDS;
const BIN_BITS = 5; // log2(BINS)
const EMPTY = 0xffffffff;

/** The BANDS band keys of the tokens `codes[from..to]` (inclusive), or none when it is too short. */
export function bandKeys(codes: ArrayLike<number>, from: number, to: number): Uint32Array {
  const shingles = kgramHashes(codes, SHINGLE, from, to + 1);
  if (shingles.length === 0) return new Uint32Array(0);
  const bins = new Uint32Array(BINS).fill(EMPTY);
  for (let i = 0; i < shingles.length; i++) {
    const hash = shingles[i] as number;
    const bin = hash >>> (32 - BIN_BITS);
    const value = hash & ((1 << (32 - BIN_BITS)) - 1);
    if (value < (bins[bin] as number)) bins[bin] = value;
  }
  // Densify: an empty bin borrows the nearest non-empty bin to its right, with an offset per hop
  // so that borrowed values do not collide with genuine ones.
  for (let bin = 0; bin < BINS; bin++) {
    if (bins[bin] !== EMPTY) continue;
    for (let hop = 1; hop < BINS; hop++) {
      const source = bins[(bin + hop) % BINS] as number;
      if (source !== EMPTY && (bin + hop) % BINS !== bin) {
        bins[bin] = (source + hop * 0x9e3779b) >>> 0;
        break;
      }
    }
  }
  const keys = new Uint32Array(BANDS);
  for (let band = 0; band < BANDS; band++) {
    let hash = mix32(band + 1);
    for (let row = 0; row < ROWS; row++) hash = mix32(hash ^ (bins[band * ROWS + row] as number));
    keys[band] = hash;
  }
  return keys;
}
