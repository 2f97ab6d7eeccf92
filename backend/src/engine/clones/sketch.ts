import { kgramHashes, mix32 } from './fingerprints.js';

/**
 * Locality-sensitive keys for near-miss detection. A unit's normalised tokens become a set of
 * shingles (q-grams); one-permutation MinHash (Li, Owen & Zhang, 2012) with rotation densification
 * (Shrivastava & Li, 2014) turns that set into BINS minima with one hash per shingle; BANDS groups
 * of ROWS minima are hashed into band keys. Two units share a given band key with probability
 * J^ROWS for Jaccard similarity J, so at J = 0.55 they share about four of the 24 (two or more —
 * what a candidate needs — with probability ≈ 0.92). Three rows per band, not two: with two, the
 * minima of very common shingles made band keys that thousands of units shared.
 */
export const SHINGLE = 4;
export const ROWS = 3;
export const BANDS = 24;
const BINS = ROWS * BANDS;
const EMPTY = 0xffffffff;
/** Units whose lengths differ by less than this factor mostly share a length class. */
const LENGTH_CLASS_RATIO = 1.5;

/** The BANDS band keys of the tokens `codes[from..to]` (inclusive), or none when it is too short. */
export function bandKeys(codes: ArrayLike<number>, from: number, to: number): Uint32Array {
  const shingles = kgramHashes(codes, SHINGLE, from, to + 1);
  if (shingles.length === 0) return new Uint32Array(0);
  const bins = new Uint32Array(BINS).fill(EMPTY);
  for (let i = 0; i < shingles.length; i++) {
    const hash = shingles[i] as number;
    const bin = Math.floor((hash / 4294967296) * BINS);
    if (hash < (bins[bin] as number)) bins[bin] = hash;
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
  // Each key also carries the unit's length class, so a bucket holds units of comparable length
  // only: a near-miss is never much longer or shorter than its original (similarity ≥ 0.75 needs a
  // length ratio ≥ 0.6), and without it the buckets of common shingles held tens of thousands of
  // units. The class boundaries shift from band to band, so two units of close lengths share
  // their class in most bands even where one boundary falls between them.
  const logLength = Math.log(to - from + 1) / Math.log(LENGTH_CLASS_RATIO);
  for (let band = 0; band < BANDS; band++) {
    let hash = mix32(band + 1);
    hash = mix32(hash ^ Math.floor(logLength + band / BANDS));
    for (let row = 0; row < ROWS; row++) hash = mix32(hash ^ (bins[band * ROWS + row] as number));
    keys[band] = hash;
  }
  return keys;
}
