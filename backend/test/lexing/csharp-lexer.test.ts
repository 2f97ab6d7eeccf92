import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fixture, indexOf, lexChecked, lineTokens, pairs, placeOf } from './token-views.js';

const cs = (text: string) => lexChecked(text, 'csharp');

describe('C# lexer on a realistic controller', () => {
  const file = cs(fixture('OrderController.cs'));

  test('preprocessor lines are one Directive each', () => {
    assert.deepEqual(lineTokens(file, 1), [['Directive', '#nullable enable']]);
    assert.deepEqual(lineTokens(file, 16), [['Directive', '#region Queries']]);
    assert.deepEqual(lineTokens(file, 33), [['Directive', '#endregion']]);
  });

  test('XML doc comments are dropped; attributes are brackets and a name', () => {
    assert.deepEqual(lineTokens(file, 7), []);
    assert.deepEqual(lineTokens(file, 8), [
      ['Punctuation', '['],
      ['Identifier', 'ApiController'],
      ['Punctuation', ']'],
    ]);
  });

  test('`get; set; init;` accessors are keywords; `partial` before `class` is a keyword', () => {
    assert.deepEqual(lineTokens(file, 9).slice(0, 4), [
      ['Keyword', 'public'],
      ['Keyword', 'sealed'],
      ['Keyword', 'partial'],
      ['Keyword', 'class'],
    ]);
    assert.deepEqual(lineTokens(file, 13).slice(3, 9), [
      ['Punctuation', '{'],
      ['Keyword', 'get'],
      ['Punctuation', ';'],
      ['Keyword', 'set'],
      ['Punctuation', ';'],
      ['Punctuation', '}'],
    ]);
    assert.deepEqual(lineTokens(file, 14).slice(7, 9), [
      ['Keyword', 'init'],
      ['Punctuation', ';'],
    ]);
  });

  test('built-in type keywords are BuiltinType, nullable `?` included', () => {
    assert.deepEqual(lineTokens(file, 17).slice(0, 7), [
      ['Keyword', 'public'],
      ['Keyword', 'async'],
      ['Identifier', 'Task'],
      ['Punctuation', '<'],
      ['BuiltinType', 'decimal'],
      ['Punctuation', '?'],
      ['Punctuation', '>'],
    ]);
  });

  test('verbatim, interpolated, verbatim-interpolated and raw strings are one String each', () => {
    assert.deepEqual(lineTokens(file, 19)[3], ['String', '@"C:\\shop\\""data"".json"']);
    assert.deepEqual(lineTokens(file, 20)[3], ['String', '$"Customer {customer} owes {_totals[customer]:C2} {{approx}}"']);
    const both = lineTokens(file, 21)[3]!;
    assert.deepEqual(both, ['String', '$@"{customer}\n                at {path}"']);
    assert.deepEqual(lineTokens(file, 22), [['Punctuation', ';']]);
    const raw = '"""\n                {"customer": "x"}\n                """';
    assert.deepEqual(placeOf(file, indexOf(file, raw)), { kind: 'String', text: raw, line: 23, column: 22, endLine: 25 });
  });

  test('char literals, verbatim identifiers and null-handling operators', () => {
    assert.deepEqual(
      lineTokens(file, 26).filter(([kind]) => kind === 'String'),
      [
        ['String', "'x'"],
        ['String', "'\\''"],
      ],
    );
    assert.deepEqual(lineTokens(file, 27).slice(0, 8), [
      ['Keyword', 'var'],
      ['Identifier', '@class'],
      ['Punctuation', '='],
      ['Identifier', 'customer'],
      ['Punctuation', '?.'],
      ['Identifier', 'Length'],
      ['Punctuation', '??'],
      ['Number', '0'],
    ]);
    assert.deepEqual(lineTokens(file, 29), [
      ['Identifier', 'total'],
      ['Punctuation', '??='],
      ['Number', '0m'],
      ['Punctuation', ';'],
    ]);
  });

  test('query expressions: `from`, `where`, `select` are keywords there', () => {
    assert.deepEqual(lineTokens(file, 36), [
      ['Keyword', 'from'],
      ['Identifier', 'v'],
      ['Keyword', 'in'],
      ['Identifier', 'values'],
      ['Keyword', 'where'],
      ['Identifier', 'v'],
      ['Punctuation', '%'],
      ['Number', '2'],
      ['Punctuation', '=='],
      ['Number', '0'],
      ['Keyword', 'select'],
      ['Identifier', 'v'],
      ['Punctuation', '>>'],
      ['Number', '1'],
      ['Punctuation', ';'],
    ]);
  });

  test('pattern combinators `not` and `and` before a pattern are keywords', () => {
    assert.deepEqual(lineTokens(file, 38).slice(-8), [
      ['Identifier', 'o'],
      ['Keyword', 'is'],
      ['Keyword', 'not'],
      ['Keyword', 'null'],
      ['Keyword', 'and'],
      ['Keyword', 'not'],
      ['BuiltinType', 'string'],
      ['Punctuation', ';'],
    ]);
  });
});

describe('C# edge cases', () => {
  test('contextual keywords used as names stay identifiers', () => {
    assert.deepEqual(pairs(cs('var get = value; record.Where(x);')), [
      ['Keyword', 'var'],
      ['Identifier', 'get'],
      ['Punctuation', '='],
      ['Identifier', 'value'],
      ['Punctuation', ';'],
      ['Identifier', 'record'],
      ['Punctuation', '.'],
      ['Identifier', 'Where'],
      ['Punctuation', '('],
      ['Identifier', 'x'],
      ['Punctuation', ')'],
      ['Punctuation', ';'],
    ]);
  });

  test('a nested string inside an interpolation hole does not end the outer string', () => {
    assert.deepEqual(pairs(cs('$"a {(b ? "}" : "{")} c" + d')), [
      ['String', '$"a {(b ? "}" : "{")} c"'],
      ['Punctuation', '+'],
      ['Identifier', 'd'],
    ]);
  });

  test('an unterminated regular string ends at its line; an unterminated verbatim string at the end of the text', () => {
    assert.deepEqual(pairs(cs('a = "open\nb;')), [
      ['Identifier', 'a'],
      ['Punctuation', '='],
      ['String', '"open'],
      ['Identifier', 'b'],
      ['Punctuation', ';'],
    ]);
    assert.deepEqual(pairs(cs('a = @"open\nb;')).at(-1), ['String', '@"open\nb;']);
  });

  test('a `#` that is not first on its line is punctuation, not a directive', () => {
    assert.deepEqual(pairs(cs('x # y')), [
      ['Identifier', 'x'],
      ['Punctuation', '#'],
      ['Identifier', 'y'],
    ]);
  });
});
