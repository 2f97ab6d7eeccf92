import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { QueueError } from '../../src/queue/job-queue.js';
import { openQueue } from '../../src/queue/open-queue.js';
import { contractProcessEveryMs, queueContract } from './queue-contract.js';

// A real Redis server; .ci/run starts one on 127.0.0.1:6379.
const redisUrl = process.env.AUXIL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Deletes every key of a namespace (the queue prefixes all of its keys with it). */
async function dropNamespace(namespace: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${namespace}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function openChecked(namespace: string, processEveryMs = contractProcessEveryMs) {
  try {
    return await openQueue(redisUrl, { namespace, processEveryMs });
  } catch (error) {
    if (error instanceof QueueError && error.code === 'queue_unreachable') {
      assert.fail(`Redis is not answering at ${redisUrl}: start it (.ci/run does) or set AUXIL_TEST_REDIS_URL. ${error.message}`);
    }
    throw error;
  }
}

queueContract('Agenda on Redis', () => {
  const namespace = `auxil_test_${randomBytes(6).toString('hex')}`;
  return Promise.resolve({
    open: (processEveryMs?: number) => openChecked(namespace, processEveryMs),
    cleanup: () => dropNamespace(namespace),
  });
});

describe('Agenda on Redis: connection', () => {
  test('a Redis URL where nothing listens is refused with queue_unreachable, without the URL in the message', async () => {
    await assert.rejects(
      () => openQueue('redis://:s3cret@127.0.0.1:1'),
      (error: unknown) => error instanceof QueueError && error.code === 'queue_unreachable' && !error.message.includes('s3cret'),
    );
  });
});
