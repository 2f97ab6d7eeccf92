import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import type { Collection } from 'mongodb';
import { AuxilError } from '../../errors.js';
import type { ProjectDoc } from './mongo-collections.js';

/** How long a write lock stays valid without renewal: a holder that dies frees it after this. */
const LOCK_TTL_MS = 30_000;
/** How long a writer waits for another one's lock before giving up. */
const LOCK_WAIT_MS = 60_000;

/**
 * One project's write lock, on a deployment without transactions (a standalone server, or the
 * stand-in the tests use). Writers of one project take turns under it, so their revisions are
 * published in order and no two writers interleave their files and change entries. It lives in the
 * project's own document (`writer`), with a lease renewed while held, like the migration lock: a
 * holder that dies frees it when the lease runs out, and the next writer repairs what it left (see
 * `pending`).
 */
export class ProjectLock {
  private readonly heartbeat: NodeJS.Timeout;

  private constructor(
    private readonly projects: Collection<ProjectDoc>,
    private readonly filter: { readonly tenantId: string; readonly id: string },
    private readonly owner: string,
    /** The project's published revision when the lock was taken. */
    readonly revision: number,
    /** A revision a previous writer began and never published (it failed or died), if any. */
    readonly pending: number | undefined,
  ) {
    this.heartbeat = setInterval(() => void this.renew().catch(() => undefined), LOCK_TTL_MS / 3);
    // A pending renewal must not keep a process alive that has nothing else to do.
    this.heartbeat.unref();
  }

  /** Takes the project's lock, waiting for the holder; undefined when the project does not exist. */
  static async acquire(projects: Collection<ProjectDoc>, tenantId: string, id: string): Promise<ProjectLock | undefined> {
    const owner = `${hostname()}/${process.pid}/${randomUUID()}`;
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (let pause = 2; ; pause = Math.min(pause * 2, 100)) {
      // Lease times come from each process's clock: clocks must agree to well within the TTL.
      const at = new Date();
      const taken = await projects.findOneAndUpdate(
        { tenantId, id, $or: [{ writer: null }, { 'writer.expiresAt': { $lte: at } }] },
        { $set: { writer: { owner, expiresAt: new Date(at.getTime() + LOCK_TTL_MS) } } },
        { returnDocument: 'after', projection: { revision: 1, writing: 1 } },
      );
      if (taken) return new ProjectLock(projects, { tenantId, id }, owner, taken.revision ?? 0, taken.writing ?? undefined);
      const held = await projects.findOne({ tenantId, id }, { projection: { writer: 1 } });
      if (!held) return undefined;
      if (Date.now() >= deadline) {
        throw new AuxilError(
          'internal',
          `project ${id} stayed locked by another writer (${held.writer?.owner ?? 'unknown'}) for ${LOCK_WAIT_MS / 1000} s; try again`,
        );
      }
      await delay(pause);
    }
  }

  /** Records that the writer begins `revision`, before it writes anything of it. */
  async begin(revision: number): Promise<void> {
    await this.confirmed({ $set: { writing: revision } });
  }

  /** Makes `revision` visible to readers and frees the lock, in one update. */
  async publish(revision: number): Promise<void> {
    clearInterval(this.heartbeat);
    await this.confirmed({ $set: { revision, writing: null, writer: null } });
  }

  /** Frees the lock without publishing; a begun revision stays pending for the next writer to repair. */
  async release(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.projects.updateOne({ ...this.filter, 'writer.owner': this.owner }, { $set: { writer: null } });
  }

  /** Stops renewing a lock whose document is gone (the project was deleted under it). */
  abandon(): void {
    clearInterval(this.heartbeat);
  }

  private async renew(): Promise<boolean> {
    const result = await this.projects.updateOne(
      { ...this.filter, 'writer.owner': this.owner },
      { $set: { 'writer.expiresAt': new Date(Date.now() + LOCK_TTL_MS) } },
    );
    return result.matchedCount === 1;
  }

  /** Applies an update only while the lock is still this writer's. */
  private async confirmed(update: { $set: Partial<ProjectDoc> }): Promise<void> {
    const result = await this.projects.updateOne({ ...this.filter, 'writer.owner': this.owner }, update);
    if (result.matchedCount !== 1) {
      throw new AuxilError(
        'internal',
        `lost the write lock of project ${this.filter.id} (held longer than its ${LOCK_TTL_MS / 1000} s lease); the change may be ` +
          'partly stored, and the next writer repairs its change log: retry it',
      );
    }
  }
}
