/**
 * A multimap from 32-bit keys to (owner, value) postings, in typed arrays: open addressing for the
 * keys, singly linked lists for the postings. A 50,000-file index holds millions of fingerprints;
 * a `Map<number, number[]>` of that size costs several times the memory and GC time.
 *
 * Each key's postings are kept in insertion order. Owners (files) get increasing ids and add all
 * their postings at once, so a list is also in owner order — which lets matching walk only the
 * postings of files before the one being matched and stop at the first later one, instead of
 * wading through every later file's postings too.
 *
 * Postings of an owner are removed lazily: `removeOwner` marks the owner dead, lookups skip its
 * postings, and `compact` reclaims the space once dead postings pile up.
 */

/** A posting table's arrays, as `sharedState` hands them to another thread. */
export interface PostingTableState {
  readonly keys: Uint32Array;
  readonly occupied: Uint8Array;
  readonly heads: Int32Array;
  readonly tails: Int32Array;
  readonly counts: Uint32Array;
  readonly owners: Uint32Array;
  readonly values: Uint32Array;
  readonly next: Int32Array;
  readonly used: number;
}

/** A copy of a typed array on a SharedArrayBuffer: posting it to a worker shares it instead of copying. */
export function shared<T extends Uint8Array | Uint16Array | Int32Array | Uint32Array>(array: T): T {
  if (array.buffer instanceof SharedArrayBuffer) return array;
  const Kind = array.constructor as new (buffer: SharedArrayBuffer) => T;
  const copy = new Kind(new SharedArrayBuffer(array.byteLength));
  copy.set(array);
  return copy;
}

/**
 * A zero-filled array of `Kind` on shared memory. The table keeps all its arrays there, so handing
 * it to matching threads (`sharedState`) copies nothing: a server that matches after every upload
 * batch would otherwise copy every posting twice per batch (grow, then share) and hold three times
 * the postings at its peak.
 */
function alloc<T extends Uint8Array | Int32Array | Uint32Array>(Kind: new (buffer: SharedArrayBuffer) => T, length: number): T {
  return new Kind(new SharedArrayBuffer(length * (Kind as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT));
}

/** Posting arrays grow by half, not double: less held at once when a big table grows. */
const POSTINGS_GROWTH = 1.5;

export class PostingTable {
  private keys: Uint32Array;
  private occupied: Uint8Array;
  private heads: Int32Array;
  private tails: Int32Array;
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
    this.keys = alloc(Uint32Array, slots);
    this.occupied = alloc(Uint8Array, slots);
    this.heads = alloc(Int32Array, slots).fill(-1);
    this.tails = alloc(Int32Array, slots).fill(-1);
    this.counts = alloc(Uint32Array, slots);
    const capacity = Math.max(16, expectedPostings);
    this.owners = alloc(Uint32Array, capacity);
    this.values = alloc(Uint32Array, capacity);
    this.next = alloc(Int32Array, capacity);
  }

  /**
   * The table's arrays, for a read-only copy in another thread (`PostingTable.fromState`). They
   * live on shared memory already, so nothing is copied; dead postings are compacted away first.
   * The table must not be changed while another thread reads it.
   */
  sharedState(): PostingTableState {
    if (this.dead > 0) this.compact();
    return {
      keys: this.keys,
      occupied: this.occupied,
      heads: this.heads,
      tails: this.tails,
      counts: this.counts,
      owners: this.owners.subarray(0, this.size),
      values: this.values.subarray(0, this.size),
      next: this.next.subarray(0, this.size),
      used: this.used,
    };
  }

  /** A table over arrays from `sharedState`; lookups only (adding would write to shared memory). */
  static fromState(state: PostingTableState): PostingTable {
    const table = new PostingTable(1, 1);
    table.keys = state.keys;
    table.occupied = state.occupied;
    table.heads = state.heads;
    table.tails = state.tails;
    table.counts = state.counts;
    table.owners = state.owners;
    table.values = state.values;
    table.next = state.next;
    table.size = state.owners.length;
    table.used = state.used;
    return table;
  }

  /** Number of live postings. */
  get postings(): number {
    return this.size - this.dead;
  }

  /** Appends a posting to `key`'s list. */
  add(key: number, owner: number, value: number): void {
    if (this.size === this.owners.length) this.growPostings();
    if ((this.used + 1) * 2 > this.keys.length) this.rehash(this.keys.length * 2);
    const slot = this.slotFor(key >>> 0, true);
    const index = this.size++;
    this.owners[index] = owner;
    this.values[index] = value;
    this.next[index] = -1;
    const tail = this.tails[slot] as number;
    if (tail < 0) this.heads[slot] = index;
    else this.next[tail] = index;
    this.tails[slot] = index;
    this.counts[slot] = (this.counts[slot] as number) + 1;
  }

  /** Number of postings under `key`, dead ones included until the next `compact`. */
  count(key: number): number {
    const slot = this.slotFor(key >>> 0, false);
    return slot < 0 ? 0 : (this.counts[slot] as number);
  }

  /**
   * A cursor over the live postings under `key`, in insertion order: the first posting's index,
   * or −1. Walk on with `following`, read with `ownerAt` and `valueAt`. It allocates nothing,
   * which matters in the hottest loop of matching.
   */
  first(key: number): number {
    const slot = this.slotFor(key >>> 0, false);
    return slot < 0 ? -1 : this.live(this.heads[slot] as number);
  }

  /** The live posting after `index` under the same key, or −1. */
  following(index: number): number {
    return this.live(this.next[index] as number);
  }

  ownerAt(index: number): number {
    return this.owners[index] as number;
  }

  valueAt(index: number): number {
    return this.values[index] as number;
  }

  /** Calls `visit(owner, value)` for every live posting under `key`, in insertion order. */
  forEach(key: number, visit: (owner: number, value: number) => void): void {
    for (let index = this.first(key); index >= 0; index = this.following(index)) visit(this.ownerAt(index), this.valueAt(index));
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
    const owners = alloc(Uint32Array, Math.max(16, Math.ceil(live * POSTINGS_GROWTH)));
    const values = alloc(Uint32Array, owners.length);
    const next = alloc(Int32Array, owners.length);
    const oldKeys = this.keys;
    const oldOccupied = this.occupied;
    const oldHeads = this.heads;
    const slots = 1 << Math.ceil(Math.log2(Math.max(16, this.used * 2)));
    this.keys = alloc(Uint32Array, slots);
    this.occupied = alloc(Uint8Array, slots);
    this.heads = alloc(Int32Array, slots).fill(-1);
    this.tails = alloc(Int32Array, slots).fill(-1);
    this.counts = alloc(Uint32Array, slots);
    this.used = 0;
    let size = 0;
    for (let slot = 0; slot < oldKeys.length; slot++) {
      if (oldOccupied[slot] !== 1) continue;
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
      this.tails[target] = tail;
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
    return this.keys.byteLength * 4 + this.occupied.byteLength + this.owners.byteLength * 3;
  }

  private live(index: number): number {
    if (this.deadOwners.size === 0) return index;
    while (index >= 0 && this.deadOwners.has(this.owners[index] as number)) index = this.next[index] as number;
    return index;
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
    // Keys are never deleted (an emptied list keeps its slot until `compact`), so probe chains stay intact.
    this.keys[slot] = key;
    this.occupied[slot] = 1;
    this.used++;
    return slot;
  }

  private rehash(slots: number): void {
    const oldKeys = this.keys;
    const oldHeads = this.heads;
    const oldTails = this.tails;
    const oldCounts = this.counts;
    const oldOccupied = this.occupied;
    this.keys = alloc(Uint32Array, slots);
    this.heads = alloc(Int32Array, slots).fill(-1);
    this.tails = alloc(Int32Array, slots).fill(-1);
    this.counts = alloc(Uint32Array, slots);
    this.occupied = alloc(Uint8Array, slots);
    this.used = 0;
    for (let slot = 0; slot < oldKeys.length; slot++) {
      if (oldOccupied[slot] !== 1) continue;
      const target = this.slotFor(oldKeys[slot] as number, true);
      this.heads[target] = oldHeads[slot] as number;
      this.tails[target] = oldTails[slot] as number;
      this.counts[target] = oldCounts[slot] as number;
    }
  }

  private growPostings(): void {
    const capacity = Math.ceil(this.owners.length * POSTINGS_GROWTH);
    const owners = alloc(Uint32Array, capacity);
    owners.set(this.owners);
    const values = alloc(Uint32Array, capacity);
    values.set(this.values);
    const next = alloc(Int32Array, capacity);
    next.set(this.next);
    this.owners = owners;
    this.values = values;
    this.next = next;
  }
}
