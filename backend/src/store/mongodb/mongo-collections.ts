import { Binary, MongoServerError, type ClientSession, type Collection, type MongoClient, type WithId } from 'mongodb';
import { AuxilError } from '../../errors.js';
import type { AnalysisStatus } from '../store.js';

/*
 * Documents as stored. Every one carries its tenant in `tenantId` (for a tenant, its own id), and
 * timestamps are the same ISO strings the interface returns, so they round-trip unchanged. `_id`
 * is left to the driver (an ObjectId) and never leaves the adapter.
 */
export interface TenantDoc {
  tenantId: string;
  name: string;
  createdAt: string;
}
export interface TokenDoc {
  tenantId: string;
  id: string;
  name: string;
  tokenHash: string;
  /** Absent on tokens made before scopes existed: they have every scope. */
  scopes?: string[];
  createdAt: string;
}
export interface ProjectDoc {
  tenantId: string;
  id: string;
  name: string;
  createdAt: string;
  /** The last published revision: readers see changes up to here (0 before the first change). */
  revision: number;
  /** On a deployment without transactions, who holds the project's write lock, until when. */
  writer?: { owner: string; expiresAt: Date } | null;
  /** On a deployment without transactions, the revision a writer began and has not published yet. */
  writing?: number | null;
}
export interface FileDoc {
  tenantId: string;
  projectId: string;
  path: string;
  hash: string;
  content: string;
  /** UTF-8 length of `content`. */
  size: number;
  updatedAt: string;
}
/** A file's prepared record, valid only while the file still has `hash`. */
export interface FileRecordDoc {
  tenantId: string;
  projectId: string;
  path: string;
  hash: string;
  key: string;
  bytes: Binary;
}
/** The latest change of one path: its new hash, or null when it was removed. */
export interface FileChangeDoc {
  tenantId: string;
  projectId: string;
  path: string;
  hash: string | null;
  revision: number;
}
export interface AnalysisDoc {
  tenantId: string;
  id: string;
  projectId: string;
  status: AnalysisStatus;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  revision: number;
  filesTotal: number;
  filesDone: number;
  shardsTotal: number;
  shardsDone: number;
  /** The shard numbers counted in `shardsDone`, so a redone shard is not counted again. */
  doneShards: number[];
  timings: Record<string, number>;
  summary?: Record<string, unknown>;
  error?: string;
}

/** A part of an analysis's final matching: who holds it since when, and once done, its result's chunks. */
export interface AnalysisPartDoc {
  tenantId: string;
  projectId: string;
  analysisId: string;
  part: number;
  owner: string;
  /** Milliseconds since the epoch of the claim or its last renewal. */
  claimedAt: number;
  done: boolean;
  digest?: string;
  /** How many chunks of `owner`'s the result has (results can pass a document's 16 MB). */
  chunks?: number;
}
/** A slice of a part's packed pairs, written by `owner` before the part is marked done. */
export interface AnalysisPartChunkDoc {
  tenantId: string;
  projectId: string;
  analysisId: string;
  part: number;
  owner: string;
  seq: number;
  data: Binary;
}

/** A clone class hidden for everyone working on the project. */
export interface SuppressionDoc {
  tenantId: string;
  projectId: string;
  classId: string;
  createdAt: string;
  createdBy: string;
}

export interface Collections {
  readonly tenants: Collection<TenantDoc>;
  readonly tokens: Collection<TokenDoc>;
  readonly projects: Collection<ProjectDoc>;
  readonly files: Collection<FileDoc>;
  readonly fileRecords: Collection<FileRecordDoc>;
  readonly fileChanges: Collection<FileChangeDoc>;
  readonly analyses: Collection<AnalysisDoc>;
  readonly analysisParts: Collection<AnalysisPartDoc>;
  readonly analysisPartChunks: Collection<AnalysisPartChunkDoc>;
  readonly suppressions: Collection<SuppressionDoc>;
}

/** What every repository of one store shares. */
export interface MongoContext {
  readonly client: MongoClient;
  readonly c: Collections;
  /** Whether the deployment runs multi-document transactions (a replica set or a sharded cluster). */
  readonly transactions: boolean;
}

/** Options that run an operation inside a transaction's session, when there is one. */
export type InSession = { session?: ClientSession };

export const now = (): string => new Date().toISOString();

/** How many operations one bulkWrite or `$in` list carries: well below the server's batch and size limits. */
export const CHUNK = 1000;

/** `items` in consecutive slices of at most `size`. */
export function* chunks<T>(items: readonly T[], size = CHUNK): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

export const isDuplicateKey = (error: unknown): boolean => error instanceof MongoServerError && error.code === 11000;

/**
 * Runs an upsert, once more if it lost a race: two processes upserting the same key can both miss
 * the document and both insert; the unique index refuses the second insert, and its retry then
 * finds the winner's document.
 */
export async function upsertRacing<T>(upsert: () => Promise<T>): Promise<T> {
  try {
    return await upsert();
  } catch (error) {
    if (isDuplicateKey(error)) return upsert();
    throw error;
  }
}

/** An upsert that returns the document after the update always has one. */
export function upserted<T>(doc: WithId<T> | null): WithId<T> {
  if (!doc) throw new AuxilError('internal', 'MongoDB returned no document for an upsert');
  return doc;
}

/** Bytes as BSON binary data; the driver copies exactly the view's bytes, whatever its offset. */
export const toBinary = (bytes: Uint8Array): Binary => new Binary(bytes);

/**
 * Binary data as a plain Uint8Array of its own: the driver hands out views into a shared pool
 * (`byteOffset` far from 0), which a caller reading `.buffer` would misread.
 */
export const fromBinary = (binary: Binary): Uint8Array => new Uint8Array(binary.value());
