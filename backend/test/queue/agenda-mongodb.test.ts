import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { databaseNameOf } from '../../src/store/mongodb/mongo-store.js';
import { openQueue } from '../../src/queue/open-queue.js';
import { contractProcessEveryMs, queueContract } from './queue-contract.js';

// MongoDB cannot run on our machines (no package; mongodb-memory-server downloads its binaries), so
// this suite runs wherever AUXIL_TEST_MONGODB_URI points at a real server (docs/queues.md says how).
const mongoUrl = process.env.AUXIL_TEST_MONGODB_URI;

async function dropCollection(namespace: string): Promise<void> {
  const client = new MongoClient(mongoUrl ?? '');
  try {
    await client.connect();
    await client
      .db(databaseNameOf(mongoUrl ?? '') ?? 'auxil')
      .collection(namespace)
      .drop()
      .catch(() => undefined);
  } finally {
    await client.close();
  }
}

queueContract(
  'Agenda on MongoDB',
  () => {
    const namespace = `auxil_test_${randomBytes(6).toString('hex')}`;
    return Promise.resolve({
      open: (processEveryMs = contractProcessEveryMs) => openQueue(mongoUrl ?? '', { namespace, processEveryMs }),
      cleanup: () => dropCollection(namespace),
    });
  },
  mongoUrl
    ? undefined
    : 'AUXIL_TEST_MONGODB_URI is not set: no MongoDB server can run on this machine. Point it at a real MongoDB (e.g. mongodb://127.0.0.1:27017/auxil_test) to run this suite; see docs/queues.md',
);
