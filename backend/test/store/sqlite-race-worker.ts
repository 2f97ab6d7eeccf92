/*
 * One of the "processes" of the SQLite race tests (sqlite-store.test.ts): a worker thread with its
 * own connection to the database file, so its writes truly run at the same time as the other
 * worker's, contending for SQLite's write lock as two processes would. In one thread the adapter's
 * calls are synchronous and could never overlap.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createHash } from 'node:crypto';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

export interface RaceWork {
  readonly file: string;
  readonly name: string;
  readonly projectId: string;
  readonly analysisId: string;
  readonly shards: number;
  readonly changes: number;
}
export interface RaceResult {
  readonly counted: boolean[];
  readonly revisions: number[];
}

const work = workerData as RaceWork;
const port = parentPort;
if (!port) throw new Error('sqlite-race-worker runs as a worker thread');
const store = SqliteStore.open(work.file);
const tenant = store.forTenant('acme');

port.once('message', () => {
  void (async () => {
    const counted: boolean[] = [];
    const revisions: number[] = [];
    for (let n = 0; n < Math.max(work.shards, work.changes); n++) {
      if (n < work.shards) counted.push((await tenant.analyses.completeShard(work.analysisId, n, 1))?.counted ?? false);
      if (n < work.changes) {
        const content = `${work.name} ${n}`;
        const hash = createHash('sha256').update(content).digest('hex');
        revisions.push(
          await tenant.files.apply(work.projectId, { writes: [{ path: `${work.name}-${n}.ts`, hash, content }], removes: [] }),
        );
      }
    }
    await store.close();
    port.postMessage({ counted, revisions } satisfies RaceResult);
  })();
});
port.postMessage('ready');
