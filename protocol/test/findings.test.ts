import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conventionFinding, coveredLines, duplicateMessage } from '../src/findings.js';

test('coveredLines counts each line once, however the spans overlap or touch', () => {
  assert.equal(coveredLines([]), 0);
  assert.equal(coveredLines([[3, 3]]), 1);
  assert.equal(
    coveredLines([
      [10, 20],
      [1, 5],
      [15, 25],
      [6, 6],
    ]),
    25 - 10 + 1 + 6,
  );
  assert.equal(
    coveredLines([
      [1, 2],
      [4, 5],
    ]),
    4,
  );
});

test('duplicateMessage names three other copies and counts the rest, including those left out of the list', () => {
  const copy = (i: number) => ({ file: `src/f${i}.ts`, startLine: i, endLine: i + 9 });
  assert.equal(
    duplicateMessage({ type: 1, tokens: 60, similarity: 1 }, [copy(1)]),
    'Duplicated code (60 tokens, identical) also in src/f1.ts:1-10',
  );
  assert.equal(
    duplicateMessage({ type: 3, tokens: 80, similarity: 0.874 }, [copy(1), copy(2), copy(3), copy(4)]),
    'Duplicated code (80 tokens, a near copy, 87% similar) also in src/f1.ts:1-10, src/f2.ts:2-11, src/f3.ts:3-12 and 1 more place',
  );
  assert.match(
    duplicateMessage({ type: 2, tokens: 50, similarity: 1 }, [copy(1), copy(2), copy(3), copy(4)], 120),
    /renamed identifiers.* and 117 more places$/,
  );
});

test('conventionFinding keeps the column only when the deviation has one', () => {
  const deviation = { conventionId: 'naming:ts:function', line: 7, expected: 'camelCase', actual: 'snake_case', message: 'm' };
  assert.deepEqual(conventionFinding(deviation), {
    kind: 'convention',
    id: 'naming:ts:function:7:snake_case',
    conventionId: 'naming:ts:function',
    startLine: 7,
    endLine: 7,
    expected: 'camelCase',
    actual: 'snake_case',
    message: 'm',
  });
  assert.equal(conventionFinding({ ...deviation, column: 4 }).column, 4);
});
