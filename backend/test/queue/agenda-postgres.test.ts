import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import pg from 'pg';
import { QueueError } from '../../src/queue/job-queue.js';
import { openQueue } from '../../src/queue/open-queue.js';
import { contractProcessEveryMs, queueContract } from './queue-contract.js';

// A real PostgreSQL server; .ci/run starts one on 127.0.0.1:5432 (trust auth, database "test").
const postgresUrl = process.env.AUXIL_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function withClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Drops the tables and the trigger function Agenda created for a namespace. */
async function dropNamespace(namespace: string): Promise<void> {
  await withClient(async (client) => {
    await client.query(`DROP TABLE IF EXISTS "${namespace}", "${namespace}_logs" CASCADE`);
    await client.query(`DROP FUNCTION IF EXISTS "update_${namespace}_updated_at"()`);
  });
}

async function openChecked(namespace: string, processEveryMs = contractProcessEveryMs) {
  try {
    return await openQueue(postgresUrl, { namespace, processEveryMs });
  } catch (error) {
    if (error instanceof QueueError && error.code === 'queue_unreachable') {
      assert.fail(
        `PostgreSQL is not answering at ${postgresUrl}: start it (.ci/run does) or set AUXIL_TEST_POSTGRES_URL. ${error.message}`,
      );
    }
    throw error;
  }
}

queueContract('Agenda on PostgreSQL', () => {
  const namespace = `auxil_test_${randomBytes(6).toString('hex')}`;
  return Promise.resolve({
    open: (processEveryMs?: number) => openChecked(namespace, processEveryMs),
    cleanup: () => dropNamespace(namespace),
  });
});

describe('Agenda on PostgreSQL: schema and connection', () => {
  test('several processes opening a new namespace at once all get the schema (creation is serialised)', async (t) => {
    const namespace = `auxil_test_${randomBytes(6).toString('hex')}`;
    t.after(() => dropNamespace(namespace));
    const queues = await Promise.all(Array.from({ length: 4 }, () => openChecked(namespace)));
    t.after(() => Promise.all(queues.map((queue) => queue.stop())));
    const id = await queues[0]?.enqueue('probe', null);
    assert.equal((await queues[3]?.get(id ?? ''))?.state, 'queued');
    const indexes = await withClient((client) => client.query('SELECT indexname FROM pg_indexes WHERE tablename = $1', [namespace]));
    assert.ok(
      indexes.rows.some((row: { indexname: string }) => row.indexname === `${namespace}_key_idx`),
      'the idempotency key index exists',
    );
  });

  test('a PostgreSQL URL where nothing listens is refused with queue_unreachable, without the URL in the message', async () => {
    await assert.rejects(
      () => openQueue('postgres://auxil:s3cret@127.0.0.1:1/test'),
      (error: unknown) => error instanceof QueueError && error.code === 'queue_unreachable' && !error.message.includes('s3cret'),
    );
  });
});
