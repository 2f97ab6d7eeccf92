import { foldCode, isWordStart, wordStartBits } from './fuzzy-score.js';

/**
 * The distinct symbol names of an index, stored for scanning: each name folded to lower case in
 * one flat character buffer, with its length, its word-start bits and a bit mask of the character
 * classes it contains. For every character, lists of the names that start with it, of the names
 * in which a word starts with it, and of the names containing it let a query visit only names
 * that can match. Ids of names no symbol uses
 * any more are recycled; their buffer space and list entries are reclaimed in bulk once they
 * outweigh the live ones.
 */
export class NameTable {
  private readonly idByName = new Map<string, number>();
  /** Name by id; '' for a free id. */
  readonly names: string[] = [];
  masks = new Int32Array(1024);
  offsets = new Uint32Array(1024);
  lengths = new Uint32Array(1024);
  starts = new Int32Array(1024);
  /** Character classes (`classBit`) of the characters that start a word. */
  initials = new Int32Array(1024);
  /** A 64-bit Bloom filter (two halves) of the pairs of adjacent folded characters (`pairBit`). */
  pairsLow = new Int32Array(1024);
  pairsHigh = new Int32Array(1024);
  chars = new Uint16Array(16 * 1024);
  private charsUsed = 0;
  private liveChars = 0;
  private readonly freeIds: number[] = [];
  private readonly byFirst = new Map<number, IdList>();
  private readonly byInitial = new Map<number, IdList>();
  private readonly byChar = new Map<number, IdList>();
  private liveEntries = 0;
  private staleEntries = 0;

  /** Number of id slots, free ones included. */
  get capacity(): number {
    return this.names.length;
  }

  idOf(name: string): number | undefined {
    return this.idByName.get(name);
  }

  /** The id of `name`, adding it when new. `isNew` tells the caller to set up its per-id data. */
  intern(name: string): { id: number; isNew: boolean } {
    const known = this.idByName.get(name);
    if (known !== undefined) return { id: known, isNew: false };
    const id = this.freeIds.pop() ?? this.names.length;
    if (id === this.names.length) this.names.push(name);
    else this.names[id] = name;
    this.idByName.set(name, id);
    this.store(id, name);
    return { id, isNew: true };
  }

  release(id: number): void {
    const name = this.names[id]!;
    this.idByName.delete(name);
    this.names[id] = '';
    this.masks[id] = 0;
    this.lengths[id] = 0;
    this.liveChars -= name.length;
    const entries = 1 + initialsOf(name).length + distinctChars(name).length;
    this.liveEntries -= entries;
    this.staleEntries += entries;
    this.freeIds.push(id);
    if (this.staleEntries > 4096 && this.staleEntries > this.liveEntries) this.rebuildLists();
  }

  /** Ids that may start with folded character `c` (stale and repeated ids included: callers dedupe and verify). */
  withFirst(c: number): IdList | undefined {
    return this.byFirst.get(c);
  }

  /** Ids that may contain a word starting with folded character `c` (stale and repeated ids included, as above). */
  withInitial(c: number): IdList | undefined {
    return this.byInitial.get(c);
  }

  /** Ids that may contain folded character `c` anywhere (stale and repeated ids included, as above). */
  withChar(c: number): IdList | undefined {
    return this.byChar.get(c);
  }

  private store(id: number, name: string): void {
    if (id >= this.masks.length) {
      const capacity = Math.max(this.masks.length * 2, id + 1);
      this.masks = grown(this.masks, new Int32Array(capacity));
      this.offsets = grown(this.offsets, new Uint32Array(capacity));
      this.lengths = grown(this.lengths, new Uint32Array(capacity));
      this.starts = grown(this.starts, new Int32Array(capacity));
      this.initials = grown(this.initials, new Int32Array(capacity));
      this.pairsLow = grown(this.pairsLow, new Int32Array(capacity));
      this.pairsHigh = grown(this.pairsHigh, new Int32Array(capacity));
    }
    if (this.charsUsed + name.length > this.chars.length) this.compactOrGrow(name.length);
    const offset = this.charsUsed;
    for (let i = 0; i < name.length; i++) this.chars[offset + i] = foldCode(name.charCodeAt(i));
    this.offsets[id] = offset;
    this.lengths[id] = name.length;
    this.starts[id] = wordStartBits(name);
    this.masks[id] = maskOf(this.chars, offset, offset + name.length);
    let initials = 0;
    let low = 0;
    let high = 0;
    for (let p = 0; p < name.length; p++) {
      const c = this.chars[offset + p]!;
      if (isWordStart(name, p)) initials |= classBit(c);
      if (p === 0) continue;
      const bit = pairBit(this.chars[offset + p - 1]!, c);
      if (bit < 32) low |= 1 << bit;
      else high |= 1 << (bit - 32);
    }
    this.initials[id] = initials;
    this.pairsLow[id] = low;
    this.pairsHigh[id] = high;
    this.charsUsed += name.length;
    this.liveChars += name.length;
    this.index(id, name);
  }

  private index(id: number, name: string): void {
    const mask = this.masks[id]!;
    const initials = this.initials[id]!;
    if (name.length > 0) addTo(this.byFirst, foldCode(name.charCodeAt(0)), id, mask, initials);
    for (const c of initialsOf(name)) addTo(this.byInitial, c, id, mask, initials);
    for (const c of distinctChars(name)) addTo(this.byChar, c, id, mask, initials);
    this.liveEntries += 1 + initialsOf(name).length + distinctChars(name).length;
  }

  private rebuildLists(): void {
    this.byFirst.clear();
    this.byInitial.clear();
    this.byChar.clear();
    this.liveEntries = 0;
    this.staleEntries = 0;
    this.names.forEach((name, id) => {
      if (name !== '') this.index(id, name);
    });
  }

  /** Makes room for `needed` more characters: drops released names' characters when they are most of the buffer, else doubles it. */
  private compactOrGrow(needed: number): void {
    const garbage = this.charsUsed - this.liveChars;
    const capacity = Math.max(this.chars.length * (garbage > this.liveChars ? 1 : 2), this.liveChars + needed + 1024);
    const next = new Uint16Array(capacity);
    let used = 0;
    for (let id = 0; id < this.names.length; id++) {
      const length = this.names[id]!.length;
      if (length === 0) continue;
      next.set(this.chars.subarray(this.offsets[id], this.offsets[id]! + length), used);
      this.offsets[id] = used;
      used += length;
    }
    this.chars = next;
    this.charsUsed = used;
  }
}

/**
 * A growable list of name ids, each with a copy of the name's character-class mask and initials
 * taken when it was added: a query filters a list by reading it front to back, touching the
 * per-name arrays only for the few entries that pass. A copy that no longer matches the name's
 * current data marks a stale entry (the id was released, perhaps reused).
 */
export class IdList {
  ids = new Int32Array(16);
  masks = new Int32Array(16);
  initials = new Int32Array(16);
  size = 0;

  push(id: number, mask: number, initials: number): void {
    if (this.size === this.ids.length) {
      this.ids = grown(this.ids, new Int32Array(this.size * 2));
      this.masks = grown(this.masks, new Int32Array(this.size * 2));
      this.initials = grown(this.initials, new Int32Array(this.size * 2));
    }
    this.ids[this.size] = id;
    this.masks[this.size] = mask;
    this.initials[this.size] = initials;
    this.size++;
  }
}

function grown<T extends Int32Array | Uint32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

function addTo(lists: Map<number, IdList>, c: number, id: number, mask: number, initials: number): void {
  let list = lists.get(c);
  if (list === undefined) lists.set(c, (list = new IdList()));
  list.push(id, mask, initials);
}

/** The distinct folded characters of `name`. */
function distinctChars(name: string): number[] {
  const found: number[] = [];
  for (let p = 0; p < name.length; p++) {
    const c = foldCode(name.charCodeAt(p));
    if (!found.includes(c)) found.push(c);
  }
  return found;
}

/** The distinct folded characters that start a word of `name`. */
function initialsOf(name: string): number[] {
  const initials: number[] = [];
  for (let p = 0; p < name.length; p++) {
    if (!isWordStart(name, p)) continue;
    const c = foldCode(name.charCodeAt(p));
    if (!initials.includes(c)) initials.push(c);
  }
  return initials;
}

/**
 * A bit per character class: 26 letters, digits, `_`, `$`, other ASCII punctuation, and
 * everything beyond ASCII. A name can contain the query only if its mask covers the query's.
 */
export function classBit(c: number): number {
  if (c >= 97 && c <= 122) return 1 << (c - 97);
  if (c >= 48 && c <= 57) return 1 << 26;
  if (c === 95) return 1 << 27;
  if (c === 36) return 1 << 28;
  return c < 128 ? 1 << 29 : 1 << 30;
}

export function maskOf(chars: Uint16Array, from: number, to: number): number {
  let mask = 0;
  for (let i = from; i < to; i++) mask |= classBit(chars[i]!);
  return mask;
}

/** The Bloom-filter bit (0-63) of the folded character pair `a` `b`. */
export function pairBit(a: number, b: number): number {
  return Math.imul((a << 16) | b, 0x9e3779b1) >>> 26;
}
