import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fixture, indexOf, lexChecked, lineTokens, pairs, placeOf } from './token-views.js';

const go = (text: string) => lexChecked(text, 'go');

describe('Go lexer on a realistic HTTP handler', () => {
  const file = go(fixture('server.go'));

  test('line and block comments are dropped', () => {
    assert.deepEqual(lineTokens(file, 1), []);
    assert.deepEqual(lineTokens(file, 17), []);
    assert.deepEqual(lineTokens(file, 18), []);
  });

  test('predeclared types are BuiltinType; a raw-string struct tag is one String', () => {
    assert.deepEqual(lineTokens(file, 10), [
      ['Keyword', 'const'],
      ['Identifier', 'maxBody'],
      ['BuiltinType', 'int64'],
      ['Punctuation', '='],
      ['Number', '1'],
      ['Punctuation', '<<'],
      ['Number', '20'],
    ]);
    assert.deepEqual(lineTokens(file, 13), [
      ['Identifier', 'Status'],
      ['BuiltinType', 'string'],
      ['String', '`json:"status"`'],
    ]);
  });

  test('a rune literal is a String; a raw string spans lines without escapes', () => {
    assert.deepEqual(lineTokens(file, 25), [
      ['Identifier', 'sep'],
      ['Punctuation', ':='],
      ['String', "'\\n'"],
    ]);
    assert.deepEqual(placeOf(file, indexOf(file, '`C:\\path\nsecond line`')), {
      kind: 'String',
      text: '`C:\\path\nsecond line`',
      line: 26,
      column: 9,
      endLine: 27,
    });
  });

  test('`:=`, `&^`, `<<=` and the channel arrow `<-` are single operators', () => {
    assert.deepEqual(lineTokens(file, 28).slice(1, 3), [
      ['Punctuation', ':='],
      ['Number', '1_000.5e-3'],
    ]);
    assert.deepEqual(lineTokens(file, 29), [
      ['Identifier', 'mask'],
      ['Punctuation', ':='],
      ['Number', '0xFF'],
      ['Punctuation', '&^'],
      ['Number', '0x0F'],
    ]);
    assert.deepEqual(lineTokens(file, 30)[1], ['Punctuation', '<<=']);
    assert.deepEqual(lineTokens(file, 32).slice(0, 3), [
      ['Identifier', 'ch'],
      ['Punctuation', '<-'],
      ['BuiltinType', 'int'],
    ]);
    assert.deepEqual(lineTokens(file, 38), [
      ['Identifier', '_'],
      ['Punctuation', '='],
      ['Punctuation', '<-'],
      ['Identifier', 'ch'],
    ]);
  });

  test('`chan`, `range` and `func` are keywords', () => {
    assert.deepEqual(lineTokens(file, 31).slice(3, 6), [
      ['Punctuation', '('],
      ['Keyword', 'chan'],
      ['BuiltinType', 'int'],
    ]);
    assert.deepEqual(lineTokens(file, 34).slice(2, 4), [
      ['Punctuation', ':='],
      ['Keyword', 'range'],
    ]);
  });
});

describe('Go edge cases', () => {
  test('an unterminated interpreted string ends at its line; an unterminated raw string at the end of the text', () => {
    assert.deepEqual(pairs(go('s := "open\nx := 1')), [
      ['Identifier', 's'],
      ['Punctuation', ':='],
      ['String', '"open'],
      ['Identifier', 'x'],
      ['Punctuation', ':='],
      ['Number', '1'],
    ]);
    assert.deepEqual(pairs(go('s := `open\nx := 1')).at(-1), ['String', '`open\nx := 1']);
  });
});
