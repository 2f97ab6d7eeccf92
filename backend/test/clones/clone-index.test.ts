import assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import { CloneIndex, decodeRecord, encodeRecord, prepareFile } from '../../src/engine/index.js';
import { describe, indexOf, priceFunction } from './clone-support.js';

const header = `import { Customer, LineItem } from './model';\n\n`;

suite('clone detection', () => {
  test('a copy differing only in layout and comments is one Type-1 class of two fragments', () => {
    const copy = priceFunction()
      .replace('let subtotal = 0;', 'let subtotal = 0; // running total')
      .replace('    if (item.quantity <= 0) {\n      continue;\n    }', '    if (item.quantity <= 0) { continue; }');
    const index = indexOf({ 'src/a.ts': header + priceFunction(), 'src/b.ts': '// copied\n' + copy });
    const classes = index.classes();
    assert.equal(classes.length, 1);
    assert.equal(classes[0]?.type, 1);
    assert.deepEqual(
      classes[0]?.fragments.map((f) => f.path),
      ['src/a.ts', 'src/b.ts'],
    );
  });

  test('a copy with renamed identifiers and changed literals is Type-2', () => {
    const renamed = priceFunction('cartTotal', '0.19').replaceAll('subtotal', 'sum').replaceAll('item', 'line');
    const [cloneClass] = indexOf({ 'a.ts': priceFunction(), 'b.ts': renamed }).classes();
    assert.equal(cloneClass?.type, 2);
    assert.equal(cloneClass?.similarity, 1);
    assert.deepEqual(
      cloneClass?.fragments.map((f) => [f.path, f.startLine, f.endLine]),
      [
        ['a.ts', 1, 13],
        ['b.ts', 1, 13],
      ],
    );
  });

  test('a copy with statements added is a Type-3 near-miss with its similarity', () => {
    const edited = priceFunction(
      'cartTotal',
      '0.2',
      '\n    audit.record(item.id, subtotal);\n    if (subtotal > limit) { throw new Error("limit"); }',
    );
    const [cloneClass] = indexOf({ 'a.ts': priceFunction(), 'b.ts': edited }, { types: [3] }).classes();
    assert.equal(cloneClass?.type, 3);
    assert.ok(cloneClass.similarity >= 0.75 && cloneClass.similarity < 1, `similarity ${cloneClass.similarity}`);
  });

  test('three copies of one function form ONE class with three fragments, not three pairs', () => {
    const index = indexOf({ 'a.ts': priceFunction(), 'b.ts': priceFunction('b'), 'c.ts': header + priceFunction('c') });
    const classes = index.classes();
    assert.equal(classes.length, 1);
    assert.equal(classes[0]?.fragments.length, 3);
  });

  test('fragments shorter than --min-tokens or --min-lines are not reported', () => {
    const small = 'export function f(a: number) {\n  return a * 2 + 1;\n}\n';
    assert.deepEqual(indexOf({ 'a.ts': small, 'b.ts': small }).classes(), []);
    assert.equal(indexOf({ 'a.ts': priceFunction(), 'b.ts': priceFunction() }, { minLines: 20 }).classes().length, 0);
    assert.equal(indexOf({ 'a.ts': priceFunction(), 'b.ts': priceFunction() }, { minTokens: 200 }).classes().length, 0);
  });

  test('only the requested clone types are reported', () => {
    const renamed = priceFunction('cartTotal', '0.19').replaceAll('subtotal', 'sum').replaceAll('item', 'line');
    assert.equal(indexOf({ 'a.ts': priceFunction(), 'b.ts': renamed }, { types: [1] }).classes().length, 0);
    assert.equal(indexOf({ 'a.ts': priceFunction(), 'b.ts': renamed }, { types: [2] }).classes().length, 1);
  });

  test('with only Type-1 requested, the identical stretches of a renamed copy are still reported', () => {
    const [cloneClass] = indexOf({ 'a.ts': priceFunction(), 'b.ts': priceFunction('cartTotal', '0.19') }, { types: [1] }).classes();
    assert.equal(cloneClass?.type, 1);
    assert.ok((cloneClass?.tokens ?? 0) >= 50);
  });

  test('a duplicate inside one file is reported, with both copies in that file', () => {
    const [cloneClass] = indexOf({ 'a.ts': priceFunction('one') + '\n' + priceFunction('two') }).classes();
    assert.deepEqual(
      cloneClass?.fragments.map((f) => [f.path, f.startLine]),
      [
        ['a.ts', 1],
        ['a.ts', 15],
      ],
    );
  });

  test('files in languages Auxil does not analyse are ignored', () => {
    assert.equal(prepareFile('notes.md', priceFunction(), { minTokens: 50 }), undefined);
  });

  test('the output is the same whatever order the files were added in', () => {
    const files = {
      'a.ts': priceFunction(),
      'b.ts': priceFunction('b', '0.3'),
      'c.ts': header + priceFunction('c'),
      'd.ts': priceFunction('d', '1', '\n    log(item);'),
    };
    const forward = describe(indexOf(files).classes());
    const backward = describe(indexOf(Object.fromEntries(Object.entries(files).reverse())).classes());
    assert.deepEqual(backward, forward);
    assert.ok(forward.length > 0);
  });
});

suite('incremental index', () => {
  test('update returns the file and every file that shared a class with it, before or after', () => {
    const index = indexOf({ 'a.ts': priceFunction(), 'b.ts': priceFunction('b'), 'c.ts': 'export const c = 1;\n' });
    index.flush();
    const affected = index.update('c.ts', prepareFile('c.ts', priceFunction('c'), index.options));
    assert.deepEqual([...affected].sort(), ['a.ts', 'b.ts', 'c.ts']);
    const removed = index.update('a.ts', undefined);
    assert.deepEqual([...removed].sort(), ['a.ts', 'b.ts', 'c.ts']);
    assert.deepEqual(
      index.classesOf('b.ts')[0]?.fragments.map((f) => f.path),
      ['b.ts', 'c.ts'],
    );
  });

  test('after any sequence of edits, the incremental index reports exactly what a fresh index of the final files reports', () => {
    const variants = [
      priceFunction(),
      priceFunction('x', '0.5'),
      priceFunction('y', '0.2', '\n    audit.record(item.id);\n    audit.flush();'),
      'export const nothing = 0;\n',
      header + priceFunction('z') + priceFunction('w', '3'),
    ];
    let seed = 7;
    const random = (n: number): number => (seed = (seed * 48271) % 2147483647) % n;
    const index = new CloneIndex();
    const final = new Map<string, string>();
    for (let step = 0; step < 60; step++) {
      const path = `f${random(6)}.ts`;
      if (random(5) === 0) {
        index.update(path, undefined);
        final.delete(path);
      } else {
        const text = variants[random(variants.length)] as string;
        index.update(path, prepareFile(path, text, index.options));
        final.set(path, text);
      }
    }
    assert.deepEqual(describe(index.classes()), describe(indexOf(Object.fromEntries(final)).classes()));
  });

  test('a record survives encoding: an index rebuilt from bytes reports the same classes', () => {
    const files = {
      'a.ts': priceFunction(),
      'b.ts': priceFunction('b', '0.3'),
      'c.ts': priceFunction('c', '1', '\n    log(item);\n    log(subtotal);'),
    };
    const rebuilt = new CloneIndex();
    for (const [path, text] of Object.entries(files)) {
      const bytes = encodeRecord(prepareFile(path, text, rebuilt.options) as NonNullable<ReturnType<typeof prepareFile>>);
      rebuilt.add(decodeRecord(bytes));
    }
    assert.deepEqual(describe(rebuilt.classes()), describe(indexOf(files).classes()));
  });

  test('a record decoded as views of its bytes equals the copied one; misaligned bytes are copied', () => {
    const record = prepareFile('a.ts', priceFunction(), { minTokens: 50 }) as NonNullable<ReturnType<typeof prepareFile>>;
    const bytes = encodeRecord(record);
    const viewed = decodeRecord(bytes, { views: true });
    assert.equal(viewed.codes.buffer, bytes.buffer, 'the arrays are views of the bytes');
    assert.deepEqual([...viewed.fingerprintHashes], [...record.fingerprintHashes]);
    assert.deepEqual([...viewed.codes], [...record.codes]);
    assert.deepEqual([...viewed.lines.runLines], [...record.lines.runLines]);
    // One byte in: no array of the record can be a view at its offset.
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const copied = decodeRecord(shifted.subarray(1), { views: true });
    assert.notEqual(copied.codes.buffer, shifted.buffer);
    assert.deepEqual([...copied.unitKeys], [...record.unitKeys]);
  });

  test('decoding bytes that are not a record fails with a clear error', () => {
    assert.throws(() => decodeRecord(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9])), /not an Auxil file record/);
    const bytes = encodeRecord(prepareFile('a.ts', priceFunction(), { minTokens: 50 }) as NonNullable<ReturnType<typeof prepareFile>>);
    assert.throws(() => decodeRecord(bytes.subarray(0, bytes.length - 8)), /truncated/);
  });
});

suite('similar-code query', () => {
  const index = indexOf({
    'src/pricing.ts': header + priceFunction(),
    'src/other.ts': 'export function unrelated(a: string[]) {\n  return a.map((s) => s.trim()).filter(Boolean).join(", ");\n}\n',
  });
  const query = (text: string) =>
    index.similarTo(prepareFile('query.ts', text, index.options) as NonNullable<ReturnType<typeof prepareFile>>);

  test('an identical snippet is found as Type-1 at the right lines', () => {
    const [match] = query(priceFunction());
    assert.deepEqual([match?.path, match?.startLine, match?.endLine, match?.type, match?.similarity], ['src/pricing.ts', 3, 15, 1, 1]);
  });

  test('a renamed snippet is found as Type-2 and an edited one as Type-3', () => {
    assert.equal(query(priceFunction('total', '7'))[0]?.type, 2);
    const [near] = query(priceFunction('total', '7', '\n    audit.record(item.id, subtotal);\n    audit.flush(subtotal);'));
    assert.equal(near?.path, 'src/pricing.ts');
    assert.ok(near?.type === 2 || near?.type === 3);
  });

  test('code that exists nowhere finds nothing', () => {
    assert.deepEqual(
      query(
        'export class Queue<T> {\n  private items: T[] = [];\n  push(item: T) { this.items.push(item); }\n  pop(): T | undefined { return this.items.shift(); }\n}\n',
      ),
      [],
    );
  });
});
