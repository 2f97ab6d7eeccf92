import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fixture, indexOf, lexChecked, lineTokens, pairs, placeOf } from './token-views.js';

const c = (text: string) => lexChecked(text, 'c');
const cpp = (text: string) => lexChecked(text, 'cpp');

describe('C lexer on a realistic ring buffer', () => {
  const file = c(fixture('ring_buffer.c'));

  test('each preprocessor line is one Directive, without its trailing comment', () => {
    assert.deepEqual(lineTokens(file, 2), [['Directive', '#include <stdint.h>']]);
    assert.deepEqual(lineTokens(file, 3), [['Directive', '#include "ring_buffer.h"']]);
    assert.deepEqual(lineTokens(file, 8), [['Directive', '#  define TRACE(msg) fprintf(stderr, "%s\\n", msg)']]);
  });

  test('a `\\` continuation keeps a #define one Directive across lines', () => {
    const text = '#define RB_NEXT(i) \\\n    (((i) + 1) % RB_CAPACITY)';
    assert.deepEqual(placeOf(file, indexOf(file, text)), { kind: 'Directive', text, line: 5, column: 0, endLine: 6 });
    assert.deepEqual(lineTokens(file, 6), []);
  });

  test('type keywords are BuiltinType; `->` is one operator', () => {
    assert.deepEqual(lineTokens(file, 13), [
      ['Keyword', 'volatile'],
      ['BuiltinType', 'unsigned'],
      ['BuiltinType', 'int'],
      ['Identifier', 'head'],
      ['Punctuation', ','],
      ['Identifier', 'tail'],
      ['Punctuation', ';'],
    ]);
    assert.deepEqual(lineTokens(file, 17), [
      ['Keyword', 'return'],
      ['Identifier', 'rb'],
      ['Punctuation', '->'],
      ['Identifier', 'head'],
      ['Punctuation', '=='],
      ['Identifier', 'rb'],
      ['Punctuation', '->'],
      ['Identifier', 'tail'],
      ['Punctuation', ';'],
    ]);
  });

  test('char and wide string literals; float, hex and octal numbers', () => {
    assert.deepEqual(lineTokens(file, 31)[3], ['String', "'\\t'"]);
    assert.deepEqual(lineTokens(file, 32)[5], ['String', 'L"wide"']);
    assert.deepEqual(
      lineTokens(file, 33).filter(([kind]) => kind === 'Number'),
      [
        ['Number', '1.f'],
        ['Number', '2.5e-3'],
        ['Number', '0x1Fu'],
        ['Number', '07'],
      ],
    );
  });
});

describe('C++ lexer on a realistic template class', () => {
  const file = cpp(fixture('matrix.cpp'));

  test('`::` and `<=>` are single operators; `final` and `operator` are keywords', () => {
    assert.deepEqual(lineTokens(file, 8), [
      ['Keyword', 'class'],
      ['Identifier', 'Matrix'],
      ['Keyword', 'final'],
      ['Punctuation', '{'],
    ]);
    assert.deepEqual(lineTokens(file, 14).slice(5, 8), [
      ['Keyword', 'auto'],
      ['Keyword', 'operator'],
      ['Punctuation', '<=>'],
    ]);
    assert.deepEqual(lineTokens(file, 10).slice(2, 5), [
      ['Identifier', 'std'],
      ['Punctuation', '::'],
      ['Identifier', 'size_t'],
    ]);
  });

  test('digit separators stay inside one number', () => {
    assert.deepEqual(lineTokens(file, 16).slice(-2), [
      ['Number', "1'000'000"],
      ['Punctuation', ';'],
    ]);
    assert.deepEqual(lineTokens(file, 37)[3], ['Number', "0b1010'1010u"]);
  });

  test('a raw string with a delimiter keeps `)` and quotes inside; a u8 string is one String', () => {
    assert.deepEqual(lineTokens(file, 19)[3], ['String', 'R"json({"rows": "(x)"})json"']);
    assert.deepEqual(lineTokens(file, 20)[3], ['String', 'u8"matrix"']);
  });

  test('`->*`, `>>` in nested templates and `<<=` are single operators', () => {
    assert.deepEqual(lineTokens(file, 39).slice(2, 4), [
      ['Identifier', 'p'],
      ['Punctuation', '->*'],
    ]);
    assert.deepEqual(lineTokens(file, 36).slice(8, 10), [
      ['BuiltinType', 'int'],
      ['Punctuation', '>>'],
    ]);
    assert.deepEqual(lineTokens(file, 38)[1], ['Punctuation', '<<=']);
  });
});

describe('C and C++ edge cases', () => {
  test('a multi-line raw string records its end line; an unterminated one runs to the end', () => {
    const file = cpp('auto s = R"(a\nb)"; int x;');
    assert.deepEqual(placeOf(file, 3), { kind: 'String', text: 'R"(a\nb)"', line: 1, column: 9, endLine: 2 });
    assert.deepEqual(pairs(cpp('auto s = R"x(never')).at(-1), ['String', 'R"x(never']);
  });

  test('a `#` in a directive-free position and a `//` inside a directive string are handled', () => {
    assert.deepEqual(pairs(c('#include "a//b.h" // why\nx;')), [
      ['Directive', '#include "a//b.h"'],
      ['Identifier', 'x'],
      ['Punctuation', ';'],
    ]);
  });

  test("C23 digit separators are read in C too (.h files are often C++ headers), and `'` after a number's end is a char literal", () => {
    assert.deepEqual(
      pairs(c("x = 1'000'000ull; y = f(2,'a');")).filter(([kind]) => kind !== 'Punctuation'),
      [
        ['Identifier', 'x'],
        ['Number', "1'000'000ull"],
        ['Identifier', 'y'],
        ['Identifier', 'f'],
        ['Number', '2'],
        ['String', "'a'"],
      ],
    );
  });

  test('an unterminated block comment runs to the end of the text', () => {
    assert.deepEqual(pairs(c('int a; /* open\nint b;')), [
      ['BuiltinType', 'int'],
      ['Identifier', 'a'],
      ['Punctuation', ';'],
    ]);
  });
});
