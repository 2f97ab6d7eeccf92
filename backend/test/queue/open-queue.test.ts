import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { QueueError, type QueueErrorCode } from '../../src/queue/job-queue.js';
import { openQueue } from '../../src/queue/open-queue.js';

function refusedWith(code: QueueErrorCode, mentions?: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof QueueError, `a QueueError, not ${String(error)}`);
    assert.equal(error.code, code);
    if (mentions) assert.match(error.message, mentions);
    return true;
  };
}

describe('openQueue', () => {
  test('"local" opens the in-process queue', async () => {
    const queue = await openQueue('local');
    assert.equal(queue.kind, 'local');
    await queue.stop();
  });

  test('a URL whose scheme names no adapter is refused with queue_url_unsupported, listing the schemes that work', async () => {
    for (const url of ['amqp://guest:s3cret@127.0.0.1:5672', 'mysql://127.0.0.1/auxil', 'http://127.0.0.1:6379', 'constructor://x']) {
      await assert.rejects(() => openQueue(url), refusedWith('queue_url_unsupported', /use local, mongodb:\/\/.*redis:\/\//));
    }
    await assert.rejects(
      () => openQueue('amqp://guest:s3cret@127.0.0.1:5672'),
      (error: unknown) => error instanceof QueueError && !error.message.includes('s3cret'),
      'the message never repeats a password from the URL',
    );
  });

  test('something that is not a URL is refused with queue_url_invalid', async () => {
    for (const url of ['', 'redis', '127.0.0.1:6379', 'Local', '://nothing']) {
      await assert.rejects(() => openQueue(url), refusedWith('queue_url_invalid'));
    }
  });

  test('a namespace or polling interval no backend can use is refused with queue_option_invalid before connecting', async () => {
    // Nothing listens on port 1: the options must be refused before any connection is tried.
    await assert.rejects(
      () => openQueue('redis://127.0.0.1:1', { namespace: 'Robert"); DROP TABLE x;--' }),
      refusedWith('queue_option_invalid'),
    );
    await assert.rejects(() => openQueue('postgres://127.0.0.1:1/x', { namespace: 'a'.repeat(41) }), refusedWith('queue_option_invalid'));
    await assert.rejects(() => openQueue('redis://127.0.0.1:1', { processEveryMs: 0.5 }), refusedWith('queue_option_invalid'));
    await assert.rejects(() => openQueue('local', { processEveryMs: -1 }), refusedWith('queue_option_invalid'));
  });
});
