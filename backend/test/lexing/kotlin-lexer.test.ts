import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fixture, indexOf, lexChecked, lineTokens, pairs, placeOf } from './token-views.js';

const kotlin = (text: string) => lexChecked(text, 'kotlin');

describe('Kotlin lexer on a realistic repository class', () => {
  const file = kotlin(fixture('Repository.kt'));

  test('a KDoc comment with a nested block comment is dropped whole', () => {
    for (const line of [5, 6, 7]) assert.deepEqual(lineTokens(file, line), []);
    assert.deepEqual(lineTokens(file, 8), [
      ['Punctuation', '@'],
      ['Identifier', 'JvmInline'],
    ]);
  });

  test('modifier keywords count before a declaration', () => {
    assert.deepEqual(lineTokens(file, 9).slice(0, 2), [
      ['Keyword', 'value'],
      ['Keyword', 'class'],
    ]);
    assert.deepEqual(lineTokens(file, 11).slice(0, 2), [
      ['Keyword', 'data'],
      ['Keyword', 'class'],
    ]);
    assert.deepEqual(lineTokens(file, 13).slice(0, 2), [
      ['Keyword', 'sealed'],
      ['Keyword', 'interface'],
    ]);
    assert.deepEqual(lineTokens(file, 21).slice(0, 2), [
      ['Keyword', 'suspend'],
      ['Keyword', 'fun'],
    ]);
  });

  test('a string template with `${}` holes is one String', () => {
    assert.deepEqual(lineTokens(file, 23), [
      ['Keyword', 'val'],
      ['Identifier', 'greeting'],
      ['Punctuation', '='],
      ['String', '"Hello ${cached.name.uppercase()}, you have ${cache.size} peers and $id"'],
    ]);
  });

  test('a raw string spans lines as one String', () => {
    const text = '"""\n            SELECT * FROM users WHERE id = ${id.raw}\n        """';
    assert.deepEqual(placeOf(file, indexOf(file, text)), { kind: 'String', text, line: 24, column: 18, endLine: 26 });
    assert.deepEqual(lineTokens(file, 26).slice(0, 2), [
      ['Punctuation', '.'],
      ['Identifier', 'trimIndent'],
    ]);
  });

  test('`?:`, `?.`, `..<`, `::`, `===` and `!==` are single operators', () => {
    assert.deepEqual(lineTokens(file, 22).slice(7, 9), [
      ['Punctuation', '?:'],
      ['Keyword', 'return'],
    ]);
    assert.deepEqual(lineTokens(file, 29).slice(6, 8), [
      ['Punctuation', '?.'],
      ['Identifier', 'isNotEmpty'],
    ]);
    assert.deepEqual(lineTokens(file, 39).slice(3, 5), [
      ['Number', '0'],
      ['Punctuation', '..<'],
    ]);
    assert.deepEqual(lineTokens(file, 40).slice(-2), [
      ['Punctuation', '::'],
      ['Keyword', 'class'],
    ]);
    assert.deepEqual(
      lineTokens(file, 41).filter(([kind]) => kind === 'Punctuation'),
      [
        ['Punctuation', '='],
        ['Punctuation', '==='],
        ['Punctuation', '||'],
        ['Punctuation', '!=='],
      ],
    );
  });

  test('backquoted names are one Identifier; `let` after `?.` is a name', () => {
    assert.deepEqual(lineTokens(file, 35).slice(0, 2), [
      ['Keyword', 'fun'],
      ['Identifier', '`names in order`'],
    ]);
    assert.deepEqual(lineTokens(file, 32).slice(-10, -8), [
      ['Punctuation', '?.'],
      ['Identifier', 'let'],
    ]);
  });
});

describe('Kotlin edge cases', () => {
  test('soft keywords used as names stay identifiers', () => {
    assert.deepEqual(pairs(kotlin('val data = value + field')), [
      ['Keyword', 'val'],
      ['Identifier', 'data'],
      ['Punctuation', '='],
      ['Identifier', 'value'],
      ['Punctuation', '+'],
      ['Identifier', 'field'],
    ]);
  });

  test('a `}` inside a template hole string does not end the string', () => {
    assert.deepEqual(pairs(kotlin('"a ${if (x) "}" else "{"} b" + c')), [
      ['String', '"a ${if (x) "}" else "{"} b"'],
      ['Punctuation', '+'],
      ['Identifier', 'c'],
    ]);
  });

  test('an unterminated block comment nests and runs to the end', () => {
    assert.deepEqual(pairs(kotlin('a /* b /* c */ d */ e /* f /* g */')), [
      ['Identifier', 'a'],
      ['Identifier', 'e'],
    ]);
  });
});
