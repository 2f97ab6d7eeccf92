import { Redis } from 'ioredis';

/** A real Redis server; .ci/run starts one on 127.0.0.1:6379. */
export const redisUrl = process.env.AUXIL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Deletes every key of a namespace (the queue prefixes all of its keys with it). */
export async function dropNamespace(namespace: string): Promise<void> {
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
