import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fixture, lexChecked, lineTokens, pairs, placeOf } from './token-views.js';

const rust = (text: string) => lexChecked(text, 'rust');

describe('Rust lexer on a realistic parser module', () => {
  const file = rust(fixture('parser.rs'));

  test('doc comments and nested block comments are dropped', () => {
    assert.deepEqual(lineTokens(file, 1), []);
    assert.deepEqual(lineTokens(file, 5), []);
    assert.deepEqual(lineTokens(file, 12), []);
  });

  test('attributes are `#` and brackets; lifetimes in generics are Identifiers', () => {
    assert.deepEqual(lineTokens(file, 6).slice(0, 3), [
      ['Punctuation', '#'],
      ['Punctuation', '['],
      ['Identifier', 'derive'],
    ]);
    assert.deepEqual(lineTokens(file, 7), [
      ['Keyword', 'pub'],
      ['Keyword', 'struct'],
      ['Identifier', 'Entry'],
      ['Punctuation', '<'],
      ['Identifier', "'a"],
      ['Punctuation', '>'],
      ['Punctuation', '{'],
    ]);
    assert.deepEqual(lineTokens(file, 8).slice(3, 6), [
      ['Punctuation', '&'],
      ['Identifier', "'a"],
      ['BuiltinType', 'str'],
    ]);
  });

  test("`'_` and loop labels are Identifiers; char literals are Strings", () => {
    assert.deepEqual(lineTokens(file, 14).slice(13, 16), [
      ['Punctuation', '<'],
      ['Identifier', "'_"],
      ['Punctuation', '>'],
    ]);
    assert.deepEqual(lineTokens(file, 21).slice(0, 2), [
      ['Identifier', "'lines"],
      ['Punctuation', ':'],
    ]);
    assert.deepEqual(lineTokens(file, 23).slice(4, 6), [
      ['Punctuation', '('],
      ['String', "'#'"],
    ]);
    assert.deepEqual(lineTokens(file, 39).slice(-5, -2), [
      ['String', "'\\''"],
      ['Punctuation', ','],
      ['String', "'\\u{1F600}'"],
    ]);
  });

  test('raw, byte and byte-char literals; raw identifiers', () => {
    assert.deepEqual(lineTokens(file, 33)[3], ['String', 'r#"path = "C:\\config""#']);
    assert.deepEqual(lineTokens(file, 34)[3], ['String', 'b"key=value\\n"']);
    assert.deepEqual(lineTokens(file, 35)[3], ['String', "b'='"]);
    assert.deepEqual(lineTokens(file, 37).slice(0, 4), [
      ['Keyword', 'let'],
      ['Identifier', 'r#type'],
      ['Punctuation', '='],
      ['Number', '2.5e-3f64'],
    ]);
  });

  test('typed numbers, `as` casts and `..=`', () => {
    assert.deepEqual(lineTokens(file, 36).slice(3, 10), [
      ['Number', '1_000u32'],
      ['Keyword', 'as'],
      ['BuiltinType', 'usize'],
      ['Punctuation', '+'],
      ['Number', '0xFFusize'],
      ['Punctuation', '-'],
      ['Number', '1'],
    ]);
    assert.deepEqual(lineTokens(file, 38).slice(3, 5), [
      ['Number', '0'],
      ['Punctuation', '..='],
    ]);
  });

  test('`.await` stays a keyword and macros are a name then `!`', () => {
    assert.deepEqual(lineTokens(file, 44).slice(5, 7), [
      ['Punctuation', '.'],
      ['Keyword', 'await'],
    ]);
    assert.deepEqual(lineTokens(file, 15).slice(0, 2), [
      ['Identifier', 'write'],
      ['Punctuation', '!'],
    ]);
  });
});

describe('Rust edge cases', () => {
  test('a multi-line string spans lines; an unterminated raw string runs to the end', () => {
    const file = rust('let s = "a\nb"; let t = r##"x"# still"##;');
    assert.deepEqual(placeOf(file, 3), { kind: 'String', text: '"a\nb"', line: 1, column: 8, endLine: 2 });
    assert.deepEqual(pairs(file).slice(-2), [
      ['String', 'r##"x"# still"##'],
      ['Punctuation', ';'],
    ]);
    assert.deepEqual(pairs(rust('let t = r#"open\nx')).at(-1), ['String', 'r#"open\nx']);
  });

  test('ranges on integers are not fractions', () => {
    assert.deepEqual(pairs(rust('0..10 1.max(2)')), [
      ['Number', '0'],
      ['Punctuation', '..'],
      ['Number', '10'],
      ['Number', '1'],
      ['Punctuation', '.'],
      ['Identifier', 'max'],
      ['Punctuation', '('],
      ['Number', '2'],
      ['Punctuation', ')'],
    ]);
  });

  test('a lone quote is punctuation and scanning goes on', () => {
    assert.deepEqual(pairs(rust("' x")), [
      ['Punctuation', "'"],
      ['Identifier', 'x'],
    ]);
  });
});
