import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { rejectsWith, type ContractKit } from './contract-kit.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Batch analyses: create, get, list, update, the once-only `completeShard` and the parts of a final matching. */
export function analysesContract({ project, withTwoTenants, twoHandles, needs }: ContractKit): void {
  describe('analyses', () => {
    test('create records a queued analysis with a random id, which get returns', async (t) => {
      const { tenant, projectId } = await project(t);
      const created = await tenant.analyses.create(projectId, { revision: 3, filesTotal: 250, shardsTotal: 3 });
      assert.match(created.id, UUID);
      assert.ok(!Number.isNaN(Date.parse(created.createdAt)), 'createdAt is a timestamp');
      assert.deepEqual(created, {
        id: created.id,
        projectId,
        status: 'queued',
        createdAt: created.createdAt,
        revision: 3,
        filesTotal: 250,
        filesDone: 0,
        shardsTotal: 3,
        shardsDone: 0,
        timings: {},
      });
      assert.deepEqual(await tenant.analyses.get(created.id), created);
      const second = await tenant.analyses.create(projectId, { revision: 3, filesTotal: 250, shardsTotal: 3 });
      assert.notEqual(second.id, created.id);
      assert.equal(await tenant.analyses.get('no-such-analysis'), undefined);
    });

    test('create for a project the tenant does not have is refused', async (t) => {
      const { tenant } = await project(t);
      await rejectsWith(tenant.analyses.create('no-such-project', { revision: 0, filesTotal: 0, shardsTotal: 0 }), 'not_found');
    });

    test("list gives a project's analyses newest first, at most `limit`, and none of another project's", async (t) => {
      const { tenant, projectId } = await project(t);
      const billing = (await tenant.projects.create('billing')).id;
      const created = [];
      for (let n = 0; n < 5; n++) created.push(await tenant.analyses.create(projectId, { revision: n, filesTotal: n, shardsTotal: 1 }));
      await tenant.analyses.create(billing, { revision: 0, filesTotal: 0, shardsTotal: 0 });
      const newestFirst = [...created].reverse();
      assert.deepEqual(await tenant.analyses.list(projectId, 10), newestFirst, 'even when created in the same millisecond');
      assert.deepEqual(await tenant.analyses.list(projectId, 2), newestFirst.slice(0, 2));
      assert.deepEqual(await tenant.analyses.list(projectId, 0), []);
      await rejectsWith(tenant.analyses.list(projectId, 1.5), 'invalid_request');
    });

    test('update changes the fields it names, merges timings by phase, and replaces the summary', async (t) => {
      const { tenant, projectId } = await project(t);
      const analyses = tenant.analyses;
      const { id } = await analyses.create(projectId, { revision: 1, filesTotal: 10, shardsTotal: 2 });
      const started = '2030-01-02T03:04:05.678Z';
      const running = await analyses.update(id, { status: 'running', startedAt: started, timings: { shards: 5 } });
      assert.equal(running?.status, 'running');
      assert.equal(running?.startedAt, started);
      assert.deepEqual(running?.timings, { shards: 5 });

      await analyses.update(id, { timings: { load: 7, shards: 9 } });
      const summary = { files: 10, duplication: 0.25, nested: { classes: ['a', 'b'] } };
      const done = await analyses.update(id, { status: 'done', finishedAt: started, summary });
      assert.deepEqual(done?.timings, { shards: 9, load: 7 });
      assert.deepEqual(done?.summary, summary);
      assert.equal(done?.startedAt, started, 'fields the patch does not name are kept');
      assert.deepEqual(await analyses.update(id, { summary: { files: 11 } }).then((r) => r?.summary), { files: 11 });

      const failed = await analyses.update(id, { status: 'failed', error: 'the final step failed' });
      assert.equal(failed?.error, 'the final step failed');
      assert.deepEqual(await analyses.get(id), failed);
      assert.deepEqual(await analyses.update(id, {}), failed, 'an empty patch changes nothing');
      assert.equal(await analyses.update('no-such-analysis', { status: 'done' }), undefined);
    });

    test('update refuses an unknown status and timings that are not finite numbers under plain names', async (t) => {
      const { tenant, projectId } = await project(t);
      const { id } = await tenant.analyses.create(projectId, { revision: 1, filesTotal: 1, shardsTotal: 1 });
      await rejectsWith(tenant.analyses.update(id, { status: 'paused' as 'done' }), 'invalid_request');
      await rejectsWith(tenant.analyses.update(id, { timings: { load: Number.NaN } }), 'invalid_request');
      await rejectsWith(tenant.analyses.update(id, { timings: { 'a.b': 1 } }), 'invalid_request');
      assert.equal((await tenant.analyses.get(id))?.status, 'queued');
    });

    test('completeShard counts each shard once, adding its files; a repeat reports counted: false and changes nothing', async (t) => {
      const { tenant, projectId } = await project(t);
      const analyses = tenant.analyses;
      const { id } = await analyses.create(projectId, { revision: 1, filesTotal: 25, shardsTotal: 3 });
      const first = await analyses.completeShard(id, 0, 10);
      assert.equal(first?.counted, true);
      assert.equal(first?.record.shardsDone, 1);
      assert.equal(first?.record.filesDone, 10);
      const repeat = await analyses.completeShard(id, 0, 10);
      assert.deepEqual(repeat, { record: first?.record, counted: false });
      await analyses.completeShard(id, 2, 5);
      const last = await analyses.completeShard(id, 1, 10);
      assert.equal(last?.counted, true);
      assert.equal(last?.record.shardsDone, 3);
      assert.equal(last?.record.filesDone, 25);
      assert.deepEqual(await analyses.get(id), last?.record);
      await rejectsWith(analyses.completeShard(id, 3, 1), 'invalid_request', /no shard 3/);
      await rejectsWith(analyses.completeShard(id, -1, 1), 'invalid_request');
      assert.equal(await analyses.completeShard('no-such-analysis', 0, 1), undefined);
    });

    test('concurrent completeShard calls, from two stores over the same data, count every shard exactly once', async (t) => {
      const { store, other } = await twoHandles(t);
      await store.tenants.ensure('acme', 'Acme');
      const projectId = (await store.forTenant('acme').projects.create('shop')).id;
      const { id } = await store.forTenant('acme').analyses.create(projectId, { revision: 1, filesTotal: 100, shardsTotal: 10 });
      // Each shard is reported three times, as by a worker that died after its report and the two that redid it.
      const calls = Array.from({ length: 30 }, (_, n) =>
        (n % 2 === 0 ? store : other).forTenant('acme').analyses.completeShard(id, n % 10, 10),
      );
      const results = await Promise.all(calls);
      assert.equal(results.filter((result) => result?.counted).length, 10);
      const record = await other.forTenant('acme').analyses.get(id);
      assert.equal(record?.shardsDone, 10);
      assert.equal(record?.filesDone, 100);
    });

    test('parts are claimed lowest first, held for their lease, completed once and read back byte for byte', async (t) => {
      const { tenant, projectId } = await project(t);
      const { analyses } = tenant;
      const { id } = await analyses.create(projectId, { revision: 1, filesTotal: 10, shardsTotal: 1 });
      const lease = 60_000;
      assert.equal(await analyses.claimPart(id, 3, 'a', lease), 0);
      assert.equal(await analyses.claimPart(id, 3, 'b', lease), 1);
      // A claim holds against its own owner too: each call claims another part.
      assert.equal(await analyses.claimPart(id, 3, 'a', lease), 2);
      assert.equal(await analyses.claimPart(id, 3, 'd', lease), undefined);
      assert.equal(await analyses.renewPart(id, 1, 'b'), true);
      assert.equal(await analyses.renewPart(id, 1, 'a'), false, 'only the owner renews');
      assert.deepEqual(await analyses.doneParts(id), []);
      assert.equal(await analyses.partResult(id, 0), undefined);

      const pairs = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 256);
      assert.equal(await analyses.completePart(id, 0, 'a', { digest: 'd1', pairs: pairs.subarray(8) }), true);
      assert.equal(await analyses.completePart(id, 0, 'b', { digest: 'other', pairs }), false, 'the first result stays');
      assert.equal(await analyses.completePart(id, 5, 'a', { digest: 'd1', pairs }), false, 'a part never claimed');
      assert.equal(await analyses.renewPart(id, 0, 'a'), false, 'a done part is not renewed');
      assert.equal(await analyses.claimPart(id, 3, 'a', lease), undefined, 'a done part is not claimed again');
      assert.deepEqual(await analyses.partResult(id, 0), { digest: 'd1', pairs: pairs.slice(8) });
      // Any claim of a part not done may complete it: c's result for part 2 (held by a) counts.
      assert.equal(await analyses.completePart(id, 2, 'c', { digest: 'd1', pairs: new Uint8Array(0) }), true);
      assert.deepEqual(await analyses.partResult(id, 2), { digest: 'd1', pairs: new Uint8Array(0) });
      assert.deepEqual(await analyses.doneParts(id), [0, 2]);

      await analyses.dropParts(id);
      assert.deepEqual(await analyses.doneParts(id), []);
      assert.equal(await analyses.partResult(id, 0), undefined);
      assert.equal(await analyses.completePart(id, 1, 'b', { digest: 'd1', pairs }), false, 'nothing is left to complete');
    });

    test("a part's result larger than one MongoDB document (16 MB) is stored and read back whole", async (t) => {
      const { tenant, projectId } = await project(t);
      const { id } = await tenant.analyses.create(projectId, { revision: 1, filesTotal: 10, shardsTotal: 1 });
      const pairs = new Uint8Array(17 * 1024 * 1024 + 5);
      for (let i = 0; i < pairs.length; i += 4093) pairs[i] = (i / 4093) % 251;
      assert.equal(await tenant.analyses.claimPart(id, 1, 'a', 60_000), 0);
      assert.equal(await tenant.analyses.completePart(id, 0, 'a', { digest: 'big', pairs }), true);
      const back = await tenant.analyses.partResult(id, 0);
      assert.equal(back?.digest, 'big');
      assert.ok(back && Buffer.from(back.pairs).equals(Buffer.from(pairs)), 'the same bytes');
    });

    test('a claim not renewed within its lease is taken over, and a finished analysis has no parts to claim', async (t) => {
      const { tenant, projectId } = await project(t);
      const { analyses } = tenant;
      const { id } = await analyses.create(projectId, { revision: 1, filesTotal: 10, shardsTotal: 1 });
      assert.equal(await analyses.claimPart(id, 1, 'dead', 60_000), 0);
      assert.equal(await analyses.claimPart(id, 1, 'alive', 60_000), undefined);
      // With a lease of 1 ms the dead owner's claim lapses as soon as the clock moves on.
      let taken: number | undefined;
      for (let tries = 0; taken === undefined && tries < 10_000; tries++) taken = await analyses.claimPart(id, 1, 'alive', 1);
      assert.equal(taken, 0);
      assert.equal(await analyses.renewPart(id, 0, 'dead'), false, 'the old owner lost it');
      assert.equal(await analyses.renewPart(id, 0, 'alive'), true);

      await analyses.update(id, { status: 'done' });
      assert.equal(await analyses.claimPart(id, 4, 'late', 1), undefined);
      assert.equal(await analyses.claimPart('no-such-analysis', 1, 'late', 1), undefined);
      await rejectsWith(analyses.claimPart(id, 0, 'late', 1), 'invalid_request', /1 to \d+ parts/);
      await rejectsWith(analyses.claimPart(id, 1, '', 1), 'invalid_request', /owner/);
      await rejectsWith(analyses.claimPart(id, 1, 'late', 0), 'invalid_request', /lease/);
      await rejectsWith(analyses.partResult(id, -1), 'invalid_request');
    });

    test(
      'concurrent claims, from two stores over the same data, give every part to exactly one owner',
      needs('uniqueConstraints'),
      async (t) => {
        const { store, other } = await twoHandles(t);
        await store.tenants.ensure('acme', 'Acme');
        const projectId = (await store.forTenant('acme').projects.create('shop')).id;
        const { id } = await store.forTenant('acme').analyses.create(projectId, { revision: 1, filesTotal: 100, shardsTotal: 10 });
        const claims = await Promise.all(
          Array.from({ length: 12 }, (_, n) =>
            (n % 2 === 0 ? store : other).forTenant('acme').analyses.claimPart(id, 8, `owner-${n}`, 60_000),
          ),
        );
        const parts = claims.filter((part) => part !== undefined).sort((a, b) => a - b);
        assert.deepEqual(parts, [0, 1, 2, 3, 4, 5, 6, 7]);
      },
    );

    test("a tenant neither reads, lists, updates nor completes another tenant's analyses", async (t) => {
      const { store } = await withTwoTenants(t);
      const a = store.forTenant('a');
      const b = store.forTenant('b');
      const secret = (await a.projects.create('secret')).id;
      const analysis = await a.analyses.create(secret, { revision: 1, filesTotal: 1, shardsTotal: 1 });
      assert.equal(await b.analyses.get(analysis.id), undefined);
      assert.deepEqual(await b.analyses.list(secret, 10), []);
      assert.equal(await b.analyses.update(analysis.id, { status: 'failed', error: 'by B' }), undefined);
      assert.equal(await b.analyses.completeShard(analysis.id, 0, 1), undefined);
      assert.equal(await a.analyses.claimPart(analysis.id, 2, 'a-worker', 60_000), 0);
      assert.equal(await b.analyses.claimPart(analysis.id, 2, 'b-worker', 60_000), undefined);
      assert.equal(await b.analyses.completePart(analysis.id, 0, 'b-worker', { digest: 'x', pairs: new Uint8Array(4) }), false);
      assert.equal(await a.analyses.completePart(analysis.id, 0, 'a-worker', { digest: 'x', pairs: new Uint8Array(4) }), true);
      assert.deepEqual(await b.analyses.doneParts(analysis.id), []);
      assert.equal(await b.analyses.partResult(analysis.id, 0), undefined);
      await b.analyses.dropParts(analysis.id);
      assert.deepEqual(await a.analyses.doneParts(analysis.id), [0]);
      await rejectsWith(b.analyses.create(secret, { revision: 1, filesTotal: 1, shardsTotal: 1 }), 'not_found');
      assert.deepEqual(await a.analyses.get(analysis.id), analysis);
      assert.deepEqual(await a.analyses.list(secret, 10), [analysis]);
    });
  });
}
