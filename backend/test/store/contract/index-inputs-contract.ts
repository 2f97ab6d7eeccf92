import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FileRepository, IndexInput, IndexRecord } from '../../../src/store/store.js';
import { file, rejectsWith, sha256, type ContractKit } from './contract-kit.js';

/** Every value a byte can take, twice, so an encoding that mangles any byte (or stops at 0) shows. */
const ALL_BYTES = Uint8Array.from({ length: 512 }, (_, n) => n % 256);

/** Asserts that bytes came back as a plain Uint8Array of their own, equal to `expected`. */
function assertBytes(actual: Uint8Array | undefined, expected: Uint8Array): void {
  assert.ok(actual instanceof Uint8Array, 'a Uint8Array');
  assert.equal(Object.getPrototypeOf(actual), Uint8Array.prototype, 'a plain Uint8Array, not a Buffer');
  assert.equal(actual.byteOffset, 0, 'not a view into a larger buffer');
  assert.equal(actual.buffer.byteLength, expected.byteLength, 'its buffer holds exactly these bytes');
  assert.deepEqual(actual, expected);
}

/** Every input of the project, through pages of `pageSize`. */
async function allInputs(
  files: FileRepository,
  projectId: string,
  key: string,
  pageSize: number,
): Promise<{ inputs: IndexInput[]; pages: number }> {
  const inputs: IndexInput[] = [];
  let pages = 0;
  for (let after: string | undefined; ;) {
    const page = await files.indexInputs(projectId, key, after, pageSize);
    if (page.length === 0) return { inputs, pages };
    assert.ok(page.length <= pageSize);
    pages++;
    inputs.push(...page);
    after = page[page.length - 1]?.path;
  }
}

/** Prepared records, `indexInputs` and `putRecord`, and a change of many files. */
export function indexInputsContract({ project, withTwoTenants, options }: ContractKit): void {
  describe('files: records and index inputs', () => {
    test('indexInputs gives a file its record when the key fits, else its content, never both', async (t) => {
      const { tenant, projectId } = await project(t);
      const record: IndexRecord = { key: 'engine-1', bytes: ALL_BYTES };
      await tenant.files.apply(projectId, { writes: [file('a.ts', 'with record', record), file('b.ts', 'without')], removes: [] });
      const [a, b] = await tenant.files.indexInputs(projectId, 'engine-1', undefined, 10);
      assert.equal(a?.path, 'a.ts');
      assert.equal(a?.hash, sha256('with record'));
      assertBytes(a?.record, ALL_BYTES);
      assert.equal(a?.content, undefined);
      assert.deepEqual(b, { path: 'b.ts', hash: sha256('without'), content: 'without' });
      assert.deepEqual(await tenant.files.indexInputs(projectId, 'engine-2', undefined, 10), [
        { path: 'a.ts', hash: sha256('with record'), content: 'with record' },
        { path: 'b.ts', hash: sha256('without'), content: 'without' },
      ]);
    });

    test('record bytes round-trip exactly: a view into a larger buffer stores only its own bytes, and empty stays empty', async (t) => {
      const { tenant, projectId } = await project(t);
      const backing = Uint8Array.from({ length: 1024 }, (_, n) => (n * 7) % 256);
      const view = backing.subarray(13, 13 + 300);
      await tenant.files.put(projectId, file('view.ts', 'view', { key: 'k', bytes: view }));
      await tenant.files.put(projectId, file('buffer.ts', 'buffer', { key: 'k', bytes: Buffer.from(ALL_BYTES) }));
      await tenant.files.put(projectId, file('empty.ts', 'empty', { key: 'k', bytes: new Uint8Array(0) }));
      const inputs = await tenant.files.indexInputs(projectId, 'k', undefined, 10);
      assert.deepEqual(
        inputs.map((input) => input.path),
        ['buffer.ts', 'empty.ts', 'view.ts'],
      );
      assertBytes(inputs[0]?.record, ALL_BYTES);
      assertBytes(inputs[1]?.record, new Uint8Array(0));
      assertBytes(inputs[2]?.record, Uint8Array.from(view));
    });

    test('a new content drops the old record unless it brings one; the same content keeps it, or takes a new one without a revision', async (t) => {
      const { tenant, projectId } = await project(t);
      const files = tenant.files;
      const v1 = { key: 'k1', bytes: new Uint8Array([1]) };
      await files.put(projectId, file('a.ts', 'one', v1));
      await files.put(projectId, file('a.ts', 'one'));
      assertBytes((await files.indexInputs(projectId, 'k1', undefined, 1))[0]?.record, v1.bytes);
      assert.equal(await files.revision(projectId), 1);

      await files.put(projectId, file('a.ts', 'one', { key: 'k2', bytes: new Uint8Array([2]) }));
      assert.equal(await files.revision(projectId), 1, 'a record alone is no change');
      assertBytes((await files.indexInputs(projectId, 'k2', undefined, 1))[0]?.record, new Uint8Array([2]));
      assert.equal((await files.indexInputs(projectId, 'k1', undefined, 1))[0]?.content, 'one', 'the k1 record was replaced');

      await files.put(projectId, file('a.ts', 'two'));
      assert.deepEqual(await files.indexInputs(projectId, 'k2', undefined, 1), [{ path: 'a.ts', hash: sha256('two'), content: 'two' }]);
      await files.apply(projectId, { writes: [file('a.ts', 'three', { key: 'k2', bytes: new Uint8Array([3]) })], removes: [] });
      assertBytes((await files.indexInputs(projectId, 'k2', undefined, 1))[0]?.record, new Uint8Array([3]));
    });

    test('putRecord stores a record only for the hash the file has, and changes no revision', async (t) => {
      const { tenant, projectId } = await project(t);
      const files = tenant.files;
      await files.put(projectId, file('a.ts', 'current'));
      const record = { key: 'k', bytes: new Uint8Array([4, 5, 6]) };
      assert.equal(await files.putRecord(projectId, 'a.ts', sha256('stale'), record), false);
      assert.equal((await files.indexInputs(projectId, 'k', undefined, 1))[0]?.content, 'current');
      assert.equal(await files.putRecord(projectId, 'missing.ts', sha256('current'), record), false);
      assert.equal(await files.putRecord(projectId, 'a.ts', sha256('current'), record), true);
      assertBytes((await files.indexInputs(projectId, 'k', undefined, 1))[0]?.record, record.bytes);
      assert.equal(await files.revision(projectId), 1);
      assert.deepEqual(await files.changesSince(projectId, 1), []);
      await files.remove(projectId, 'a.ts');
      await files.put(projectId, file('a.ts', 'current'));
      assert.equal((await files.indexInputs(projectId, 'k', undefined, 1))[0]?.content, 'current', 'a removed file took its record along');
    });

    test('indexInputs pages by path after the given path (exclusive); a limit of 0 gives nothing, a negative one is refused', async (t) => {
      const { tenant, projectId } = await project(t);
      await tenant.files.apply(projectId, { writes: ['d', 'a', 'c', 'e', 'b'].map((name) => file(`${name}.ts`, name)), removes: [] });
      const page = async (after: string | undefined, limit: number) =>
        (await tenant.files.indexInputs(projectId, 'k', after, limit)).map((input) => input.path);
      assert.deepEqual(await page(undefined, 2), ['a.ts', 'b.ts']);
      assert.deepEqual(await page('b.ts', 2), ['c.ts', 'd.ts']);
      assert.deepEqual(await page('d.ts', 2), ['e.ts']);
      assert.deepEqual(await page('bb', 10), ['c.ts', 'd.ts', 'e.ts'], 'the path after need not exist');
      assert.deepEqual(await page('e.ts', 2), []);
      assert.deepEqual(await page(undefined, 0), []);
      await rejectsWith(tenant.files.indexInputs(projectId, 'k', undefined, -1), 'invalid_request');
    });

    test("another tenant's project id gives no inputs, and takes no record", async (t) => {
      const { store } = await withTwoTenants(t);
      const a = store.forTenant('a');
      const b = store.forTenant('b');
      const secret = (await b.projects.create('secret')).id;
      await b.files.put(secret, file('key.ts', 'the secret'));
      assert.deepEqual(await a.files.indexInputs(secret, 'k', undefined, 10), []);
      assert.equal(await a.files.putRecord(secret, 'key.ts', sha256('the secret'), { key: 'k', bytes: new Uint8Array([1]) }), false);
      assert.deepEqual(await b.files.indexInputs(secret, 'k', undefined, 10), [
        { path: 'key.ts', hash: sha256('the secret'), content: 'the secret' },
      ]);
    });
  });

  const batch = options.largeBatch ?? { files: 50_000, why: '' };
  const batchName =
    `a change of ${batch.files.toLocaleString('en')} files is one revision, listed in full by the manifest, ` +
    `the change log and index inputs paged by 1,000${batch.why === '' ? '' : ` (${batch.why})`}`;
  describe('files: a large change', () => {
    test(batchName, { timeout: 60_000 }, async (t) => {
      const { tenant, projectId } = await project(t);
      const files = tenant.files;
      const paths = Array.from({ length: batch.files }, (_, n) => `src/${String(n).padStart(6, '0')}.ts`);
      // Every other file brings its record, so pages mix records and contents.
      const record = { key: 'k', bytes: new Uint8Array([1, 2, 3, 4]) };
      const writes = paths.map((path, n) => file(path, `export const v${n} = ${n};\n`, n % 2 === 0 ? record : undefined));
      assert.equal(await files.apply(projectId, { writes, removes: [] }), 1);

      const manifest = await files.manifest(projectId);
      assert.equal(manifest.length, batch.files);
      assert.deepEqual(
        manifest.map((entry) => entry.path),
        paths,
      );
      assert.deepEqual(manifest[7], { path: paths[7], hash: writes[7]?.hash, size: Buffer.byteLength(writes[7]?.content ?? '') });

      const log = await files.changesSince(projectId, 0);
      assert.equal(log.length, batch.files);
      assert.ok(log.every((entry) => entry.revision === 1));

      const { inputs, pages } = await allInputs(files, projectId, 'k', 1000);
      assert.equal(pages, Math.ceil(batch.files / 1000));
      assert.deepEqual(
        inputs.map((input) => input.path),
        paths,
      );
      assert.equal(inputs.filter((input) => input.record !== undefined).length, Math.ceil(batch.files / 2));
      assert.equal(inputs[1]?.content, writes[1]?.content);

      const last = paths[paths.length - 1] as string;
      assert.equal(await files.apply(projectId, { writes: [file(paths[0] as string, 'changed')], removes: [last] }), 2);
      assert.deepEqual(await files.changesSince(projectId, 1), [
        { path: paths[0], hash: sha256('changed'), revision: 2 },
        { path: last, hash: null, revision: 2 },
      ]);
      assert.equal((await files.manifest(projectId)).length, batch.files - 1);
    });
  });
}
