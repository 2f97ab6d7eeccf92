import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fixtureProject, runCli, tempDir, TEST_TIMEOUT_MS, writeFiles } from './analyze-support.js';

const RESTOCK = `def restock_levels(stock, orders, minimum=10):
    levels = {}
    for sku, count in stock.items():
        ordered = sum(order["quantity"] for order in orders if order["sku"] == sku)
        remaining = count - ordered
        if remaining < minimum:
            levels[sku] = minimum * 2 - remaining
        else:
            levels[sku] = 0
    return levels
`;

describe('auxil symbols, conventions and similar', { timeout: TEST_TIMEOUT_MS }, () => {
  test('symbols finds a function by an abbreviation of its name, with its file and line', async (t) => {
    const root = await fixtureProject(t);
    const result = await runCli(t, ['symbols', root, 'rstkLvl', '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const matches = JSON.parse(result.stdout) as { path: string; name: string; kind: string; startLine: number }[];
    const found = matches.find((match) => match.path === 'py/inventory.py');
    assert.deepEqual(found && [found.name, found.kind, found.startLine], ['restock_levels', 'function', 4]);
  });

  test('conventions reports the naming rule with its counts, and the one function that breaks it', async (t) => {
    const root = await tempDir(t, 'conventions');
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++) files[`src/module-${i}.ts`] = `export function loadItem${i}(id: string) {\n  return id;\n}\n`;
    files['src/legacy.ts'] = 'export function load_legacy_item(id: string) {\n  return id;\n}\n';
    await writeFiles(root, files);
    const result = await runCli(t, ['conventions', root, '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as {
      conventions: { id: string; expected: string; count: number; total: number }[];
      deviations: { path: string; line: number; message: string }[];
    };
    const naming = report.conventions.find((convention) => convention.id === 'naming:typescript:function');
    assert.deepEqual(naming && [naming.expected, naming.count, naming.total], ['camelCase', 12, 13]);
    assert.equal(report.deviations.length, 1);
    assert.equal(report.deviations[0]?.path, 'src/legacy.ts');
    assert.match(report.deviations[0]?.message ?? '', /load_legacy_item.*12 of 13/);
  });

  test('similar finds an existing function from a snippet on standard input or in a file, and says when nothing matches', async (t) => {
    const root = await fixtureProject(t);
    const snippet = join(await tempDir(t, 'snippet'), 'query.py');
    await writeFile(snippet, RESTOCK.replaceAll('levels', 'needed'));
    const fromFile = await runCli(t, ['similar', root, '--file', snippet, '--format', 'json']);
    assert.equal(fromFile.code, 0, fromFile.stderr);
    const matches = JSON.parse(fromFile.stdout) as { path: string; startLine: number; type: number }[];
    assert.ok(
      matches.some((match) => match.path === 'py/inventory.py' && match.startLine === 4 && match.type === 2),
      fromFile.stdout,
    );

    const unknown = join(await tempDir(t, 'unknown'), 'query.ts');
    await writeFile(unknown, 'export class RingBuffer<T> {\n  private items: T[] = [];\n  push(item: T) { this.items.push(item); }\n}\n');
    const none = await runCli(t, ['similar', root, '--file', unknown]);
    assert.equal(none.code, 0, none.stderr);
    assert.match(none.stdout, /No similar code found/);
  });

  test('similar without a language for the snippet is a usage error (exit 2)', async (t) => {
    const root = await fixtureProject(t);
    const result = await runCli(t, ['similar', root]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--language/);
  });
});
