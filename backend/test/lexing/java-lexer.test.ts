import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fixture, indexOf, lexChecked, lineTokens, pairs, placeOf } from './token-views.js';

const java = (text: string) => lexChecked(text, 'java');

describe('Java lexer on a realistic service class', () => {
  const file = java(fixture('OrderService.java'));

  test('Javadoc and line comments are dropped; annotations are `@` then a name', () => {
    assert.deepEqual(lineTokens(file, 6), []);
    assert.deepEqual(lineTokens(file, 9), [
      ['Punctuation', '@'],
      ['Identifier', 'Service'],
    ]);
    assert.deepEqual(lineTokens(file, 20), [
      ['Identifier', 'byCustomer'],
      ['Punctuation', '.'],
      ['Identifier', 'clear'],
      ['Punctuation', '('],
      ['Punctuation', ')'],
      ['Punctuation', ';'],
    ]);
  });

  test('primitive types are BuiltinType and modifiers are keywords', () => {
    assert.deepEqual(lineTokens(file, 11), [
      ['Keyword', 'private'],
      ['Keyword', 'static'],
      ['Keyword', 'final'],
      ['BuiltinType', 'long'],
      ['Identifier', 'MAX_TOTAL'],
      ['Punctuation', '='],
      ['Number', '1_000_000L'],
      ['Punctuation', ';'],
    ]);
  });

  test('`>>` closing nested generics is one token, as the scanner cannot know types', () => {
    assert.deepEqual(lineTokens(file, 12).slice(8, 11), [
      ['Identifier', 'Order'],
      ['Punctuation', '>>'],
      ['Identifier', 'byCustomer'],
    ]);
  });

  test('`var` before a name is a keyword; char literals with escapes are Strings', () => {
    assert.deepEqual(lineTokens(file, 24)[0], ['Keyword', 'var']);
    assert.deepEqual(lineTokens(file, 26).slice(-4), [
      ['String', "'A'"],
      ['Punctuation', ':'],
      ['String', "'\\''"],
      ['Punctuation', ';'],
    ]);
  });

  test('float suffixes, leading-dot and hex-float numbers; `>>>` and `>>>=`', () => {
    assert.deepEqual(
      lineTokens(file, 27).filter(([kind]) => kind === 'Number'),
      [
        ['Number', '1.5f'],
        ['Number', '.25F'],
      ],
    );
    assert.deepEqual(lineTokens(file, 28)[3], ['Number', '0x1.8p-3']);
    assert.deepEqual(lineTokens(file, 29)[4], ['Punctuation', '>>>']);
    assert.deepEqual(lineTokens(file, 30)[1], ['Punctuation', '>>>=']);
  });

  test('a text block is one String spanning its lines, quotes inside included', () => {
    const index = indexOf(file, '"""\n            SELECT id, "total"\n            FROM orders\n            """');
    assert.deepEqual(placeOf(file, index), {
      kind: 'String',
      text: '"""\n            SELECT id, "total"\n            FROM orders\n            """',
      line: 31,
      column: 23,
      endLine: 34,
    });
    assert.deepEqual(lineTokens(file, 34), [['Punctuation', ';']]);
  });

  test('method references, records, switch arrows and `when` guards', () => {
    assert.deepEqual(lineTokens(file, 35).slice(9, 12), [
      ['Identifier', 'Order'],
      ['Punctuation', '::'],
      ['Identifier', 'total'],
    ]);
    assert.deepEqual(lineTokens(file, 38)[0], ['Keyword', 'record']);
    assert.deepEqual(lineTokens(file, 42).slice(0, 8), [
      ['Keyword', 'case'],
      ['Identifier', 'Integer'],
      ['Identifier', 'i'],
      ['Keyword', 'when'],
      ['Identifier', 'i'],
      ['Punctuation', '>'],
      ['Number', '0'],
      ['Punctuation', '->'],
    ]);
  });

  test('`Foo.class` is a member name, not the class keyword', () => {
    assert.deepEqual(lineTokens(file, 44).slice(-4), [
      ['Identifier', 'Foo'],
      ['Punctuation', '.'],
      ['Identifier', 'class'],
      ['Punctuation', ';'],
    ]);
  });
});

describe('Java edge cases', () => {
  test('an unterminated text block runs to the end of the text', () => {
    const file = java('String s = """\n  never closed\n');
    assert.deepEqual(placeOf(file, 3), { kind: 'String', text: '"""\n  never closed\n', line: 1, column: 11, endLine: 2 });
  });

  test('`""` is an empty string, not a text block', () => {
    assert.deepEqual(pairs(java('a = ""; b = 1;')), [
      ['Identifier', 'a'],
      ['Punctuation', '='],
      ['String', '""'],
      ['Punctuation', ';'],
      ['Identifier', 'b'],
      ['Punctuation', '='],
      ['Number', '1'],
      ['Punctuation', ';'],
    ]);
  });

  test('`$` may appear in Java names', () => {
    assert.deepEqual(pairs(java('Outer$Inner $x')), [
      ['Identifier', 'Outer$Inner'],
      ['Identifier', '$x'],
    ]);
  });
});
