import type { BatchAnalysis } from './analyses/batch-analysis.js';
import type { Config } from './config.js';
import type { Logger } from './logging.js';
import type { ProjectIndexes } from './projects/project-index.js';
import type { PushHub } from './push/push-hub.js';
import type { JobQueue } from './queue/job-queue.js';
import type { Store } from './store/store.js';

/** The long-lived parts one backend process is made of, handed to every entry point and use case. */
export interface Services {
  readonly config: Config;
  readonly logger: Logger;
  readonly store: Store;
  readonly indexes: ProjectIndexes;
  readonly push: PushHub;
  readonly queue: JobQueue;
  readonly analyses: BatchAnalysis;
  /** embedded: SQLite and the local queue; distributed: a shared store and queue. */
  readonly mode: 'embedded' | 'distributed';
  /** Path of the local token file, announced on /healthz when listening on loopback only. */
  readonly localTokenFile?: string | undefined;
}
