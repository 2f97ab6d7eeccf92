import { LocalJobBoard } from '../../src/queue/local/local-job-board.js';
import { LocalQueue } from '../../src/queue/local/local-queue.js';
import { contractProcessEveryMs, queueContract } from './queue-contract.js';

// Instances over one board stand for workers over one database: the board is what they share.
queueContract('local (in-process)', () => {
  const board = new LocalJobBoard();
  return Promise.resolve({
    open: (processEveryMs = contractProcessEveryMs) => Promise.resolve(new LocalQueue(board, { processEveryMs })),
    cleanup: () => Promise.resolve(),
  });
});
