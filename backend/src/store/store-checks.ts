import { AuxilError } from '../errors.js';
import { ALL_SCOPES, type AnalysisRecord, type FileWrite, type TokenScope } from './store.js';

/*
 * Checks of what callers hand the store that the database itself would not refuse, or would refuse
 * with a driver error nobody can act on. Both adapters call them, so they refuse the same calls
 * with the same messages. No driver is imported here, so loading one adapter loads no other.
 */

const STATUSES: ReadonlySet<string> = new Set(['queued', 'running', 'done', 'failed']);

/** Refuses a change that names a path twice: its outcome would depend on the order of its lists. */
export function checkChange(change: { readonly writes: readonly FileWrite[]; readonly removes: readonly string[] }): void {
  const written = new Set<string>();
  for (const write of change.writes) {
    if (written.has(write.path)) {
      throw new AuxilError('invalid_request', `the change writes "${write.path}" more than once; write each path once`);
    }
    written.add(write.path);
  }
  for (const path of change.removes) {
    if (written.has(path)) {
      throw new AuxilError('invalid_request', `the change both writes and removes "${path}"; do one or the other`);
    }
  }
}

/** A page size: a whole number, 0 or more (0 asks for nothing, never for "no limit"). */
export function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 0) {
    throw new AuxilError('invalid_request', `the limit must be a whole number, 0 or more; got ${limit}`);
  }
}

/** A count the coordinator records: a whole number, 0 or more. */
export function checkCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new AuxilError('invalid_request', `${name} must be a whole number, 0 or more; got ${value}`);
  }
}

/** A shard number of this analysis: 0 up to (not including) its shard count. */
export function checkShard(record: AnalysisRecord, shard: number, files: number): void {
  if (!Number.isInteger(shard) || shard < 0 || shard >= record.shardsTotal) {
    throw new AuxilError('invalid_request', `analysis ${record.id} has shards 0 to ${record.shardsTotal - 1}; there is no shard ${shard}`);
  }
  checkCount('the file count of a shard', files);
}

/** Most parts a final matching may be cut into. */
export const MAX_MATCH_PARTS = 1_024;

/** A claim of a matching part: a part count in 1…MAX_MATCH_PARTS, a lease in ms, an owner named. */
export function checkPartClaim(parts: number, owner: string, leaseMs: number): void {
  if (!Number.isInteger(parts) || parts < 1 || parts > MAX_MATCH_PARTS) {
    throw new AuxilError('invalid_request', `a matching has 1 to ${MAX_MATCH_PARTS} parts; got ${parts}`);
  }
  checkPartOwner(owner);
  if (!Number.isInteger(leaseMs) || leaseMs < 1)
    throw new AuxilError('invalid_request', `a part's lease must be 1 ms or more; got ${leaseMs}`);
}

/** A part number (0 or more) and its owner's name (not empty). */
export function checkPart(part: number, owner?: string): void {
  if (!Number.isInteger(part) || part < 0 || part >= MAX_MATCH_PARTS) {
    throw new AuxilError('invalid_request', `a part is a whole number from 0 to ${MAX_MATCH_PARTS - 1}; got ${part}`);
  }
  if (owner !== undefined) checkPartOwner(owner);
}

function checkPartOwner(owner: string): void {
  if (typeof owner !== 'string' || owner.length === 0 || owner.length > 200) {
    throw new AuxilError('invalid_request', 'the owner of a part claim must be a name of 1 to 200 characters');
  }
}

/**
 * A patch of an analysis: a known status, and timings as finite milliseconds under plain names
 * (no '.' and no leading '$', which MongoDB reads as paths and operators).
 */
export function checkAnalysisPatch(patch: {
  readonly status?: string | undefined;
  readonly timings?: Readonly<Record<string, number>>;
}): void {
  if (patch.status !== undefined && !STATUSES.has(patch.status)) {
    throw new AuxilError('invalid_request', `"${patch.status}" is not an analysis status; use one of ${[...STATUSES].join(', ')}`);
  }
  for (const [phase, ms] of Object.entries(patch.timings ?? {})) {
    if (phase === '' || phase.includes('.') || phase.startsWith('$')) {
      throw new AuxilError('invalid_request', `"${phase}" cannot name a timing: use a name without '.' that does not start with '$'`);
    }
    if (typeof ms !== 'number' || !Number.isFinite(ms)) {
      throw new AuxilError('invalid_request', `the timing "${phase}" must be a finite number of milliseconds`);
    }
  }
}

/**
 * The scopes a new token gets: every scope when none are named, else the named ones in ALL_SCOPES
 * order. An empty or unknown list is refused: a token that may do nothing is a mistake.
 */
export function checkScopes(scopes: readonly TokenScope[] | undefined): TokenScope[] {
  if (scopes === undefined) return [...ALL_SCOPES];
  const unknown = scopes.find((scope) => !ALL_SCOPES.includes(scope));
  if (unknown !== undefined) throw new AuxilError('invalid_request', `unknown token scope "${unknown}"; use ${ALL_SCOPES.join(' or ')}`);
  if (scopes.length === 0) throw new AuxilError('invalid_request', `a token needs at least one scope (${ALL_SCOPES.join(', ')})`);
  return ALL_SCOPES.filter((scope) => scopes.includes(scope));
}

/** Scopes as an adapter stored them (a space-separated list or an array, absent for old tokens) → the record's list. */
export function storedScopes(stored: string | readonly string[] | undefined): TokenScope[] {
  if (stored === undefined) return [...ALL_SCOPES];
  const list: readonly string[] = typeof stored === 'string' ? stored.split(' ') : stored;
  return ALL_SCOPES.filter((scope) => list.includes(scope));
}
