import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { estimatePrecision, CorpusTokens, verifyPair } from '../scoring/precision.js';

const body = (name: string, value: string): string => `function ${name}(items, limit) {
  let total = 0;
  for (const item of items) {
    if (item.size > limit) {
      total += item.size * ${value};
    } else {
      total -= item.size / 2;
    }
  }
  return { total, label: '${name}' };
}`;

const unrelated = `class Registry {
  constructor() {
    this.handlers = new Map();
  }
  register(key, handler) {
    if (this.handlers.has(key)) throw new Error('duplicate ' + key);
    this.handlers.set(key, handler);
    return () => this.handlers.delete(key);
  }
}`;

describe('verifying sampled pairs from the files themselves', () => {
  let root: string;

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'auxil-bench-precision-'));
    writeFileSync(join(root, 'a.js'), `${body('sumA', '3')}\n`);
    writeFileSync(join(root, 'b.js'), `// header\n${body('totalOf', '7')}\n`);
    writeFileSync(join(root, 'c.js'), `${unrelated}\n`);
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  test('a renamed copy is a true clone; an unrelated fragment is not', () => {
    const reader = new CorpusTokens(root);
    const renamed = verifyPair(reader, { file: 'a.js', startLine: 1, endLine: 11 }, { file: 'b.js', startLine: 2, endLine: 12 });
    assert.equal(renamed.similarity, 1);
    assert.equal(renamed.trueClone, true);
    const other = verifyPair(reader, { file: 'a.js', startLine: 1, endLine: 11 }, { file: 'c.js', startLine: 1, endLine: 10 });
    assert.equal(other.trueClone, false);
  });

  test('fragments shorter than 30 tokens are not counted as clones, however similar', () => {
    const reader = new CorpusTokens(root);
    const short = verifyPair(reader, { file: 'a.js', startLine: 2, endLine: 4 }, { file: 'b.js', startLine: 3, endLine: 5 });
    assert.equal(short.similarity, 1);
    assert.equal(short.trueClone, false);
  });

  test('a fragment starting inside a template literal is read with the whole file as context', () => {
    writeFileSync(join(root, 'd.js'), 'const a = `x ${f(\n  y,\n)} z`;\nconst b = 1;\n');
    const tokens = new CorpusTokens(root).read({ file: 'd.js', startLine: 3, endLine: 4 });
    assert.deepEqual(tokens, [')', '}$tpl', ';', 'const', '$id', '=', '$lit', ';']);
  });

  test('the estimate samples every pair of a small report and reports a Wilson interval', () => {
    const report = {
      filesAnalysed: 3,
      groups: [
        {
          fragments: [
            { file: 'a.js', startLine: 1, endLine: 11 },
            { file: 'b.js', startLine: 2, endLine: 12 },
            { file: 'c.js', startLine: 1, endLine: 10 },
          ],
        },
      ],
    };
    const result = estimatePrecision(report, root, 1, 300);
    assert.equal(result.reportedPairs, 3);
    assert.equal(result.sample.length, 3);
    assert.equal(result.estimate.successes, 1);
    assert.ok(result.estimate.low < 1 / 3 && result.estimate.high > 1 / 3);
  });
});
