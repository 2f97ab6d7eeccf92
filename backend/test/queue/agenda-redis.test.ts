import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { QueueError } from '../../src/queue/job-queue.js';
import { openQueue } from '../../src/queue/open-queue.js';
import { contractProcessEveryMs, queueContract } from './queue-contract.js';
import { dropNamespace, redisUrl } from './redis-namespace.js';

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
