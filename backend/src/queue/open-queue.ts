import { openAgendaQueue } from './agenda/agenda-queue.js';
import type { AgendaStoreKind } from './agenda/agenda-stores.js';
import { QueueError, type JobQueue } from './job-queue.js';
import { LocalQueue } from './local/local-queue.js';

export interface OpenQueueOptions {
  /**
   * Agenda only: names the table (PostgreSQL), collection (MongoDB), key prefix (Redis) and
   * notification channel. Processes that share work must use the same one. Default `auxil_jobs`.
   */
  readonly namespace?: string;
  /** How often a started worker looks for due retries and expired locks, in milliseconds. */
  readonly processEveryMs?: number;
  /** Agenda only: recorded on the jobs this process locks. Default `<hostname>:<pid>`. */
  readonly workerName?: string;
  /** Agenda only: connection errors and expired locks that have nowhere else to go. */
  readonly onError?: (error: Error) => void;
}

const agendaSchemes = new Map<string, AgendaStoreKind>([
  ['mongodb', 'mongodb'],
  ['mongodb+srv', 'mongodb'],
  ['postgres', 'postgres'],
  ['postgresql', 'postgres'],
  ['redis', 'redis'],
  ['rediss', 'redis'],
]);

/**
 * Opens the queue a URL names: `local` for the embedded in-process queue, or an Agenda backend by
 * scheme (`mongodb://`, `mongodb+srv://`, `postgres://`, `postgresql://`, `redis://`, `rediss://`).
 * Resolves once connected; rejects with a `QueueError` (`queue_url_invalid`,
 * `queue_url_unsupported`, `queue_option_invalid`, `queue_unreachable`). Messages never repeat
 * the URL, which may hold a password.
 */
export async function openQueue(url: string, options: OpenQueueOptions = {}): Promise<JobQueue> {
  if (url === 'local')
    return new LocalQueue(undefined, options.processEveryMs === undefined ? {} : { processEveryMs: options.processEveryMs });
  // Only the scheme is read here: a WHATWG URL parser rejects MongoDB's multi-host form (h1,h2:27017).
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    throw new QueueError(
      'queue_url_invalid',
      'the queue URL must be "local" or a URL such as redis://host:6379 or postgres://user@host/db',
    );
  }
  const kind = agendaSchemes.get(scheme);
  if (kind === undefined) {
    throw new QueueError(
      'queue_url_unsupported',
      `queue URLs with the scheme "${scheme}:" are not supported; use local, mongodb://, mongodb+srv://, postgres://, postgresql://, redis:// or rediss://`,
    );
  }
  return openAgendaQueue(kind, url, options);
}
