import { createHash, type Hash } from 'node:crypto';
import type { PackedPairs } from '../engine/clones/shared-matching.js';

/*
 * The final matching of a large analysis, cut into parts that several worker processes match at
 * once. Matching runs over ranges of files (batches, in matching order); part p is every batch b
 * with b % parts === p, so each part mixes early (cheap) and late (costly) files and the parts take
 * about the same time. A part's result is the packed pairs of each of its batches; the final job
 * puts every batch back in order before accepting them, so the pairs, and the classes grouped from
 * them, are exactly those of matching on one process.
 */

/** The parts a matching is cut into: enough to share it among a handful of workers evenly (a part past the last batch is empty). */
export const MAX_PARTS = 16;

/** The batches of part `part`, ascending. */
export function batchesOfPart(part: number, parts: number, batches: number): number[] {
  const mine: number[] = [];
  for (let batch = part; batch < batches; batch += parts) mine.push(batch);
  return mine;
}

const FORMAT = 1;

/** A part's result as bytes: a header of (batch, pair count) entries, then every pair's integers, then their similarities. */
export function encodePart(batches: readonly { readonly batch: number; readonly pairs: PackedPairs }[]): Uint8Array {
  const header = new Int32Array(2 + batches.length * 2);
  header[0] = FORMAT;
  header[1] = batches.length;
  let pairs = 0;
  for (const [i, entry] of batches.entries()) {
    const count = entry.pairs.similarities.length;
    header[2 + i * 2] = entry.batch;
    header[3 + i * 2] = count;
    pairs += count;
  }
  const intsAt = header.byteLength;
  // The similarities start on a multiple of 8 bytes, so they can be read in place.
  const similaritiesAt = Math.ceil((intsAt + pairs * 7 * 4) / 8) * 8;
  const bytes = new Uint8Array(similaritiesAt + pairs * 8);
  bytes.set(new Uint8Array(header.buffer), 0);
  const ints = new Int32Array(bytes.buffer, intsAt, pairs * 7);
  const similarities = new Float64Array(bytes.buffer, similaritiesAt, pairs);
  let at = 0;
  for (const entry of batches) {
    ints.set(entry.pairs.ints, at * 7);
    similarities.set(entry.pairs.similarities, at);
    at += entry.pairs.similarities.length;
  }
  return bytes;
}

/** The batches of an encoded part, their pairs as views of `bytes` (copied first if misaligned); throws on bytes it did not write. */
export function decodePart(stored: Uint8Array): { batch: number; pairs: PackedPairs }[] {
  const bytes = stored.byteOffset % 8 === 0 ? stored : stored.slice();
  const fail = (): never => {
    throw new Error('a stored matching part is damaged or of an unknown format');
  };
  if (bytes.byteLength < 8) fail();
  const head = new Int32Array(bytes.buffer, bytes.byteOffset, 2);
  const entries = head[1] as number;
  if (head[0] !== FORMAT || entries < 0 || bytes.byteLength < 8 + entries * 8) fail();
  const header = new Int32Array(bytes.buffer, bytes.byteOffset + 8, entries * 2);
  let pairs = 0;
  for (let i = 0; i < entries; i++) pairs += header[i * 2 + 1] as number;
  const intsAt = 8 + entries * 8;
  const similaritiesAt = Math.ceil((intsAt + pairs * 7 * 4) / 8) * 8;
  if (bytes.byteLength !== similaritiesAt + pairs * 8) fail();
  const ints = new Int32Array(bytes.buffer, bytes.byteOffset + intsAt, pairs * 7);
  const similarities = new Float64Array(bytes.buffer, bytes.byteOffset + similaritiesAt, pairs);
  const out: { batch: number; pairs: PackedPairs }[] = [];
  let at = 0;
  for (let i = 0; i < entries; i++) {
    const count = header[i * 2 + 1] as number;
    out.push({
      batch: header[i * 2] as number,
      pairs: { ints: ints.subarray(at * 7, (at + count) * 7), similarities: similarities.subarray(at, at + count) },
    });
    at += count;
  }
  return out;
}

/**
 * A digest of what a matching runs over: every file in the order it was added to the index (its
 * id), by path and content hash, and the options. Two processes whose digests agree hold the same
 * files under the same ids, so their pairs can be put together.
 */
export class IndexDigest {
  private readonly hash: Hash = createHash('sha256');

  constructor(options: unknown) {
    this.hash.update(JSON.stringify(options));
  }

  add(path: string, contentHash: string): void {
    this.hash.update(`\n${path}\0${contentHash}`);
  }

  digest(): string {
    return this.hash.digest('hex').slice(0, 32);
  }
}
