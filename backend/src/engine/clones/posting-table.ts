/**
 * A multimap from 32-bit keys to (owner, value) postings, in typed arrays: open addressing for the
 * keys, singly linked lists for the postings. A 50,000-file index holds millions of fingerprints;
 * a `Map<number, number[]>` of that size costs several times the memory and GC time.
 *
 * Postings of an owner (a file or a unit) are removed lazily: `removeOwner` marks the owner dead
 * and lookups skip and unlink its postings; `compact` reclaims space when dead postings pile up.
 */
export class PostingTable {
  private keys: Uint32Array;
  private occupied: Uint8Array;
  private heads: Int32Array;
  private counts: Uint32Array;
  private used = 0;

  private owners: Uint32Array;
  private values: Uint32Array;
  private next: Int32Array;
  private size = 0;
  private dead = 0;
  private readonly deadOwners = new Set<number>();

  constructor(expectedKeys = 1 << 16, expectedPostings = 1 << 16) {
    const slots = 1 << Math.ceil(Math.log2(Math.max(16, expectedKeys * 2)));
    this.keys = new Uint32Array(slots);
    this.occupied = new Uint8Array(slots);
    this.heads = new Int32Array(slots).fill(-1);
    this.counts = new Uint32Array(slots);
    const capacity = Math.max(16, expectedPostings);
    this.owners = new Uint32Array(capacity);
    this.values = new Uint32Array(capacity);
    this.next = new Int32Array(capacity);
  }

  /** Number of live postings. */
  get postings(): number {
    return this.size - this.dead;
  }

  add(key: number, owner: number, value: number): void {
    if (this.size === this.owners.length) this.growPostings();
    if ((this.used + 1) * 2 > this.keys.length) this.rehash(this.keys.length * 2);
    const slot = this.slotFor(key >>> 0, true);
    const index = this.size++;
    this.owners[index] = owner;
    this.values[index] = value;
    this.next[index] = this.heads[slot] as number;
    this.heads[slot] = index;
    this.counts[slot] = (this.counts[slot] as number) + 1;
  }

  /** Number of postings under `key`, dead ones included until they are unlinked. */
  count(key: number): number {
    const slot = this.slotFor(key >>> 0, false);
    return slot < 0 ? 0 : (this.counts[slot] as number);
  }

  /**
   * Calls `visit(owner, value)` for every live posting under `key`, newest first. Postings of
   * removed owners met on the way are unlinked.
   */
  forEach(key: number, visit: (owner: number, value: number) => void): void {
    const slot = this.slotFor(key >>> 0, false);
    if (slot < 0) return;
    let previous = -1;
    let index = this.heads[slot] as number;
    while (index >= 0) {
      const owner = this.owners[index] as number;
      const following = this.next[index] as number;
      if (this.deadOwners.size > 0 && this.deadOwners.has(owner)) {
        if (previous < 0) this.heads[slot] = following;
        else this.next[previous] = following;
        this.counts[slot] = (this.counts[slot] as number) - 1;
        index = following;
        continue;
      }
      visit(owner, this.values[index] as number);
      previous = index;
      index = following;
    }
  }

  /**
   * Counts the live postings under `key` whose owner passes `accept`, stopping as soon as the
   * count exceeds `limit` (so a long list costs only as much as the answer needs).
   */
  countWhere(key: number, accept: (owner: number) => boolean, limit: number): number {
    const slot = this.slotFor(key >>> 0, false);
    if (slot < 0) return 0;
    let count = 0;
    for (let index = this.heads[slot] as number; index >= 0 && count <= limit; index = this.next[index] as number) {
      const owner = this.owners[index] as number;
      if (!this.deadOwners.has(owner) && accept(owner)) count++;
    }
    return count;
  }

  /** Marks every posting of `owner` dead. The owner id must not be reused until `compact` ran. */
  removeOwner(owner: number, postingCount: number): void {
    this.deadOwners.add(owner);
    this.dead += postingCount;
    if (this.dead > 1024 && this.dead * 2 > this.size) this.compact();
  }

  /** Rebuilds the arrays without dead postings, and the key table without emptied keys. */
  compact(): void {
    const live = this.size - this.dead;
    const owners = new Uint32Array(Math.max(16, live * 2));
    const values = new Uint32Array(owners.length);
    const next = new Int32Array(owners.length);
    const oldKeys = this.keys;
    const oldOccupied = this.occupied;
    const oldHeads = this.heads;
    const slots = 1 << Math.ceil(Math.log2(Math.max(16, this.used * 2)));
    this.keys = new Uint32Array(slots);
    this.occupied = new Uint8Array(slots);
    this.heads = new Int32Array(slots).fill(-1);
    this.counts = new Uint32Array(slots);
    this.used = 0;
    let size = 0;
    for (let slot = 0; slot < oldKeys.length; slot++) {
      if (oldOccupied[slot] !== 1) continue;
      // Copy the live postings in their original (newest-first) order.
      let head = -1;
      let tail = -1;
      let count = 0;
      for (let index = oldHeads[slot] as number; index >= 0; index = this.next[index] as number) {
        const owner = this.owners[index] as number;
        if (this.deadOwners.has(owner)) continue;
        owners[size] = owner;
        values[size] = this.values[index] as number;
        next[size] = -1;
        if (tail < 0) head = size;
        else next[tail] = size;
        tail = size++;
        count++;
      }
      if (count === 0) continue;
      const target = this.slotFor(oldKeys[slot] as number, true);
      this.heads[target] = head;
      this.counts[target] = count;
    }
    this.owners = owners;
    this.values = values;
    this.next = next;
    this.size = size;
    this.dead = 0;
    this.deadOwners.clear();
  }

  /** Bytes held by the table's arrays. */
  get byteLength(): number {
    return this.keys.byteLength * 3 + this.occupied.byteLength + this.owners.byteLength * 3;
  }

  private slotFor(key: number, insert: boolean): number {
    const mask = this.keys.length - 1;
    // Fibonacci hashing spreads keys that are already hashes but may share low bits.
    let slot = (Math.imul(key, 0x9e3779b1) >>> 0) & mask;
    while (this.occupied[slot] === 1) {
      if (this.keys[slot] === key) return slot;
      slot = (slot + 1) & mask;
    }
    if (!insert) return -1;
    // Keys are never deleted (an emptied list keeps its slot), so probe chains stay intact.
    this.keys[slot] = key;
    this.occupied[slot] = 1;
    this.used++;
    return slot;
  }

  private rehash(slots: number): void {
    const oldKeys = this.keys;
    const oldHeads = this.heads;
    const oldCounts = this.counts;
    const oldOccupied = this.occupied;
    this.keys = new Uint32Array(slots);
    this.heads = new Int32Array(slots).fill(-1);
    this.counts = new Uint32Array(slots);
    this.occupied = new Uint8Array(slots);
    this.used = 0;
    for (let slot = 0; slot < oldKeys.length; slot++) {
      if (oldOccupied[slot] !== 1) continue;
      const target = this.slotFor(oldKeys[slot] as number, true);
      this.heads[target] = oldHeads[slot] as number;
      this.counts[target] = oldCounts[slot] as number;
    }
  }

  private growPostings(): void {
    const capacity = this.owners.length * 2;
    const owners = new Uint32Array(capacity);
    owners.set(this.owners);
    const values = new Uint32Array(capacity);
    values.set(this.values);
    const next = new Int32Array(capacity);
    next.set(this.next);
    this.owners = owners;
    this.values = values;
    this.next = next;
  }
}
