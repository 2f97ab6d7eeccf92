import type { DuplicateFinding, FileFindings } from '@auxil/protocol';
import { ProjectModel, prepareFile, type CloneClass, type CloneFragment, type CloneOptions } from '../engine/index.js';
import type { Project, Store } from '../store/store.js';

const MAX_COPIES_IN_MESSAGE = 3;

function describeClone(cloneClass: CloneClass, others: readonly CloneFragment[]): string {
  const places = others.slice(0, MAX_COPIES_IN_MESSAGE).map((copy) => `${copy.path}:${copy.startLine}-${copy.endLine}`);
  const more = others.length - places.length;
  const where = places.join(', ') + (more > 0 ? ` and ${more} more place${more === 1 ? '' : 's'}` : '');
  const kind =
    cloneClass.type === 1
      ? 'identical'
      : cloneClass.type === 2
        ? 'same code with renamed identifiers or literals'
        : `a near copy, ${Math.round(cloneClass.similarity * 100)}% similar`;
  return `Duplicated code (${cloneClass.tokens} tokens, ${kind}) also in ${where}`;
}

/** One finding per copy of a class that lies in `path` (a class can hold two copies in one file). */
function toFindings(path: string, cloneClass: CloneClass): DuplicateFinding[] {
  return cloneClass.fragments
    .filter((fragment) => fragment.path === path)
    .map((fragment) => {
      const others = cloneClass.fragments.filter((other) => other !== fragment);
      return {
        kind: 'duplicate',
        id: `${cloneClass.id}:${fragment.startLine}`,
        cloneType: cloneClass.type,
        tokens: cloneClass.tokens,
        startLine: fragment.startLine,
        endLine: fragment.endLine,
        message: describeClone(cloneClass, others),
        others: others.map((other) => ({ file: other.path, startLine: other.startLine, endLine: other.endLine })),
      };
    });
}

/**
 * The live index of one project in this process: the engine's clone index plus the content hash
 * of every file. Updates run one at a time (`exclusive`), so the store and the index never see
 * two writers of the same project interleave.
 */
export class ProjectIndex {
  private readonly model: ProjectModel;
  private readonly hashes = new Map<string, string>();
  private tail: Promise<unknown> = Promise.resolve();
  /** Bumped by every change, so findings can be ordered however they travel. */
  private revision = 0;

  constructor(
    readonly project: Project,
    options: Partial<CloneOptions>,
  ) {
    this.model = new ProjectModel({ clones: options });
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

  /** Adds a stored file while the index is being built; matching waits for the first question. */
  preload(path: string, hash: string, text: string): void {
    this.hashes.set(path, hash);
    const record = prepareFile(path, text, this.model.clones.options);
    if (record) this.model.add(record);
  }

  /** Indexes a file's new content; returns the paths whose findings may have changed. */
  upsert(path: string, hash: string, text: string): Set<string> {
    this.hashes.set(path, hash);
    this.revision++;
    return this.model.update(path, prepareFile(path, text, this.model.clones.options));
  }

  /** The current findings of a file known to the index. */
  findingsOf(path: string): FileFindings | undefined {
    const hash = this.hashes.get(path);
    if (hash === undefined) return undefined;
    const findings = this.model.classesOf(path).flatMap((cloneClass) => toFindings(path, cloneClass));
    findings.sort((a, b) => a.startLine - b.startLine || a.endLine - b.endLine);
    return { file: path, hash, revision: this.revision, findings };
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
    private readonly options: Partial<CloneOptions>,
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
      index.preload(file.path, file.hash, file.content);
    }
    return index;
  }
}
