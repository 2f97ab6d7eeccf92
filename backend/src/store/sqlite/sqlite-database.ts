import type Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * The database handle the repositories share. Each SQL text is prepared once and its statement
 * reused: preparing is the costly part of a small query, and the set of queries is fixed.
 */
export class Statements {
  private readonly cache = new Map<string, Database.Statement>();

  constructor(readonly db: Db) {}

  get(sql: string): Database.Statement {
    let statement = this.cache.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }

  /**
   * Runs `work` in one write transaction, begun IMMEDIATE: it takes the write lock before its first
   * read, so two processes cannot both read a revision and then both bump it (and a waiting writer
   * waits out `busy_timeout` instead of failing on a lock upgrade).
   */
  write<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }
}

export const now = (): string => new Date().toISOString();

/**
 * better-sqlite3 works synchronously and throws. The store's methods return promises, and a
 * caller must see every failure (a foreign key refused, a busy database) as a rejection, never as
 * an exception thrown before it has a promise to await: every method runs its body through this.
 */
export function settle<T>(work: () => T): Promise<T> {
  return new Promise<T>((resolve) => resolve(work()));
}

/** Bytes to bind as a BLOB: a Buffer over exactly the caller's bytes (a view may start mid-buffer). */
export const toBlob = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * A BLOB as a plain Uint8Array of its own, so nothing outside sees a Buffer or a shared pool.
 * better-sqlite3 copies each BLOB into a buffer of its own: that one is viewed, not copied again
 * (a final job reads hundreds of megabytes of records); anything else is copied.
 */
export const fromBlob = (blob: Buffer): Uint8Array =>
  blob.byteOffset === 0 && blob.buffer.byteLength === blob.byteLength
    ? new Uint8Array(blob.buffer, 0, blob.byteLength)
    : new Uint8Array(blob);
