import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { AuxilProcess } from './processes.js';

/** The test's processes, folders and queue keys, all removed when the test ends, passed or not. */
export class Resources {
  readonly processes: AuxilProcess[] = [];
  private readonly dirs: string[] = [];

  constructor(t: TestContext, cleanupQueue: () => Promise<void>) {
    t.after(async () => {
      await Promise.all(this.processes.map((process) => process.kill('SIGKILL')));
      await cleanupQueue();
      await Promise.all(this.dirs.map((dir) => rm(dir, { recursive: true, force: true, maxRetries: 3 })));
    });
  }

  start(name: string, args: readonly string[], env: Record<string, string> = {}): AuxilProcess {
    const process = new AuxilProcess(name, args, env);
    this.processes.push(process);
    return process;
  }

  async tempDir(prefix: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), `auxil-fault-${prefix}-`));
    this.dirs.push(dir);
    return dir;
  }

  /** `auxil serve …` until it prints where it listens. */
  async serve(name: string, args: readonly string[], env: Record<string, string> = {}): Promise<{ process: AuxilProcess; url: string }> {
    const process = this.start(name, ['serve', '--port', '0', ...args], env);
    const [, url] = await process.untilStdout(/listening on (http:\/\/\S+)/);
    return { process, url: url as string };
  }

  /** A fresh API token from `auxil admin token`. */
  async token(args: readonly string[]): Promise<string> {
    const admin = this.start('admin token', ['admin', 'token', ...args]);
    const exit = await admin.exited;
    assert.equal(exit.code, 0, admin.tail());
    return admin.stdout.trim();
  }
}
