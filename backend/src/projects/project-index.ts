import type { DuplicateFinding, FileFindings } from '@auxil/protocol';
import { createHash } from 'node:crypto';
import { CloneIndex, type CloneOptions, type FileClone } from '../engine/index.js';
import type { Project, Store } from '../store/store.js';

const MAX_COPIES_IN_MESSAGE = 3;

function describeClone(clone: FileClone): string {
  const places = clone.copies.slice(0, MAX_COPIES_IN_MESSAGE).map((copy) => `${copy.path}:${copy.startLine}-${copy.endLine}`);
  const more = clone.copies.length - places.length;
  const where = places.join(', ') + (more > 0 ? ` and ${more} more place${more === 1 ? '' : 's'}` : '');
  const kind = clone.cloneType === 1 ? 'identical' : 'same code with renamed identifiers or literals';
  return `Duplicated code (${clone.tokens} tokens, ${kind}) also in ${where}`;
}

function toFinding(path: string, clone: FileClone): DuplicateFinding {
  const identity = [path, clone.startLine, clone.endLine, ...clone.copies.map((c) => `${c.path}:${c.startLine}-${c.endLine}`)].join('|');
  return {
    kind: 'duplicate',
    id: createHash('sha256').update(identity).digest('hex').slice(0, 16),
    cloneType: clone.cloneType,
    tokens: clone.tokens,
    startLine: clone.startLine,
    endLine: clone.endLine,
    message: describeClone(clone),
    others: clone.copies.map((copy) => ({ file: copy.path, startLine: copy.startLine, endLine: copy.endLine })),
  };
}

/**
 * The live index of one project in this process: the engine's clone index plus the content hash
 * of every file. Updates run one at a time (`exclusive`), so the store and the index never see
 * two writers of the same project interleave.
 */
export class ProjectIndex {
  private readonly clones: CloneIndex;
  private readonly hashes = new Map<string, string>();
  private tail: Promise<unknown> = Promise.resolve();
  /** Bumped by every change, so findings can be ordered however they travel. */
  private revision = 0;

  constructor(
    readonly project: Project,
    options: CloneOptions,
  ) {
    this.clones = new CloneIndex(options);
  }

  /** Runs `task` after every task queued before it on this project has settled. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }

  hashOf(path: string): string | undefined {
    return this.hashes.get(path);
  }

  /** Indexes a file's new content; returns the paths whose findings may have changed. */
  upsert(path: string, hash: string, text: string): Set<string> {
    this.hashes.set(path, hash);
    this.revision++;
    return this.clones.upsert(path, text);
  }

  /** The current findings of a file known to the index. */
  findingsOf(path: string): FileFindings | undefined {
    const hash = this.hashes.get(path);
    if (hash === undefined) return undefined;
    return { file: path, hash, revision: this.revision, findings: this.clones.clonesOf(path).map((clone) => toFinding(path, clone)) };
  }
}

/**
 * Every project index this process serves, built from the store on first use. Keyed by tenant and
 * project id, so one tenant's index can never answer for another's.
 */
export class ProjectIndexes {
  private readonly indexes = new Map<string, Promise<ProjectIndex>>();

  constructor(
    private readonly store: Store,
    private readonly options: CloneOptions,
  ) {}

  get(tenantId: string, project: Project): Promise<ProjectIndex> {
    const key = `${tenantId}\u0000${project.id}`;
    let index = this.indexes.get(key);
    if (!index) {
      index = this.load(tenantId, project);
      this.indexes.set(key, index);
      // A failed load (store down) must not be cached: the next request tries again.
      index.catch(() => this.indexes.delete(key));
    }
    return index;
  }

  private async load(tenantId: string, project: Project): Promise<ProjectIndex> {
    const index = new ProjectIndex(project, this.options);
    for (const file of await this.store.forTenant(tenantId).files.list(project.id)) {
      index.upsert(file.path, file.hash, file.content);
    }
    return index;
  }
}
