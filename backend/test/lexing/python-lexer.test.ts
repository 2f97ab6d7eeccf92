import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fixture, indexOf, lexChecked, lineTokens, pairs, placeOf } from './token-views.js';

const py = (text: string) => lexChecked(text, 'python');

describe('Python lexer on a realistic module', () => {
  const file = py(fixture('inventory.py'));

  test('a module docstring is one multi-line String with its start and end lines', () => {
    assert.deepEqual(placeOf(file, 0), {
      kind: 'String',
      text: '"""Inventory helpers.\n\nReads stock levels and reports the items to reorder.\n"""',
      line: 2,
      column: 0,
      endLine: 5,
    });
    assert.equal(file.lineCount, 43);
  });

  test('prefixed strings of every case are one String each', () => {
    assert.deepEqual(lineTokens(file, 11).slice(5, 7), [
      ['Punctuation', '('],
      ['String', "rb'^[A-Z]{3}-\\d+$'"],
    ]);
    assert.deepEqual(lineTokens(file, 12), [
      ['Identifier', 'PATH'],
      ['Punctuation', '='],
      ['String', 'r"C:\\data\\stock.csv"'],
    ]);
    assert.deepEqual(lineTokens(file, 32), [
      ['Identifier', 'header'],
      ['Punctuation', '+='],
      ['String', "u'\\n'"],
      ['Punctuation', '+'],
      ['String', 'Rb"bytes"'],
      ['Punctuation', '.'],
      ['Identifier', 'decode'],
      ['Punctuation', '('],
      ['Punctuation', ')'],
      ['Punctuation', '+'],
      ['String', "'it\\'s'"],
    ]);
  });

  test('an f-string with nested format specs, quotes and calls is one String', () => {
    assert.deepEqual(lineTokens(file, 26).slice(0, 5), [
      ['Identifier', 'lines'],
      ['Punctuation', '='],
      ['Punctuation', '['],
      ['String', `f"{item.sku:<{width}} {item.count!r} {'low' if item.needs_reorder() else 'ok'}"`],
      ['Keyword', 'for'],
    ]);
  });

  test('a triple-quoted f-string spans lines as one token', () => {
    const index = indexOf(file, "F'''Report\n  {len(items)} items, average {total:.2f}'''");
    assert.deepEqual(placeOf(file, index), {
      kind: 'String',
      text: "F'''Report\n  {len(items)} items, average {total:.2f}'''",
      line: 28,
      column: 13,
      endLine: 29,
    });
  });

  test('decorators are `@` then a name; `->` is one operator', () => {
    assert.deepEqual(lineTokens(file, 15).slice(0, 2), [
      ['Punctuation', '@'],
      ['Identifier', 'dataclass'],
    ]);
    assert.deepEqual(lineTokens(file, 21).slice(-3), [
      ['Punctuation', '->'],
      ['Identifier', 'bool'],
      ['Punctuation', ':'],
    ]);
  });

  test('`//` is floor division, `**` power, and a `#` comment is dropped', () => {
    assert.deepEqual(lineTokens(file, 22), [
      ['Keyword', 'return'],
      ['Identifier', 'self'],
      ['Punctuation', '.'],
      ['Identifier', 'count'],
      ['Punctuation', '//'],
      ['Number', '2'],
      ['Punctuation', '<'],
      ['Identifier', 'threshold'],
      ['Punctuation', '**'],
      ['Number', '1'],
      ['Keyword', 'and'],
      ['Keyword', 'not'],
      ['Identifier', 'self'],
      ['Punctuation', '.'],
      ['Identifier', 'tags'],
    ]);
  });

  test('the walrus operator, and a backslash continuation joins lines without a token', () => {
    assert.deepEqual(lineTokens(file, 30), [
      ['Keyword', 'if'],
      ['Punctuation', '('],
      ['Identifier', 'n'],
      ['Punctuation', ':='],
      ['Identifier', 'len'],
      ['Punctuation', '('],
      ['Identifier', 'lines'],
      ['Punctuation', ')'],
      ['Punctuation', ')'],
      ['Punctuation', '>'],
      ['Number', '0'],
      ['Keyword', 'and'],
    ]);
    assert.deepEqual(lineTokens(file, 31), [
      ['Identifier', 'n'],
      ['Punctuation', '!='],
      ['Number', '1'],
      ['Punctuation', ':'],
    ]);
  });

  test('`match` and `case` are keywords when they open a block', () => {
    assert.deepEqual(lineTokens(file, 33), [
      ['Keyword', 'match'],
      ['Identifier', 'items'],
      ['Punctuation', ':'],
    ]);
    assert.deepEqual(lineTokens(file, 34)[0], ['Keyword', 'case']);
    assert.deepEqual(lineTokens(file, 36), [
      ['Keyword', 'case'],
      ['Identifier', '_'],
      ['Punctuation', ':'],
    ]);
  });

  test('numbers with exponents, underscores, hex and imaginary suffixes; matrix operators; ellipsis', () => {
    const numbers = pairs(file)
      .filter(([kind]) => kind === 'Number')
      .map(([, text]) => text);
    assert.deepEqual(numbers.slice(-3), ['1.5e-3', '0x_FF', '1_000_000j']);
    assert.deepEqual(lineTokens(file, 41)[3], ['Punctuation', '@']);
    assert.deepEqual(lineTokens(file, 42)[1], ['Punctuation', '@=']);
    assert.deepEqual(lineTokens(file, 43).at(-1), ['Punctuation', '...']);
  });
});

describe('Python edge cases', () => {
  test('`match`, `case` and `type` used as names stay identifiers', () => {
    const file = py('match = re.match(p, s)\ncase = 1\nprint(type(x))\nm = lambda x: x\ntype Alias = int');
    assert.deepEqual(lineTokens(file, 1).slice(0, 5), [
      ['Identifier', 'match'],
      ['Punctuation', '='],
      ['Identifier', 're'],
      ['Punctuation', '.'],
      ['Identifier', 'match'],
    ]);
    assert.deepEqual(lineTokens(file, 2)[0], ['Identifier', 'case']);
    assert.deepEqual(lineTokens(file, 3)[2], ['Identifier', 'type']);
    assert.deepEqual(lineTokens(file, 5)[0], ['Keyword', 'type']);
  });

  test('a word that is not a string prefix is a name even before a quote', () => {
    assert.deepEqual(pairs(py('print"x" ur"y"')), [
      ['Identifier', 'print'],
      ['String', '"x"'],
      ['Identifier', 'ur'],
      ['String', '"y"'],
    ]);
  });

  test('an unterminated single-quoted string ends at its line; an unterminated triple-quoted one at the end of the text', () => {
    assert.deepEqual(pairs(py('a = "open\nb = 1')), [
      ['Identifier', 'a'],
      ['Punctuation', '='],
      ['String', '"open'],
      ['Identifier', 'b'],
      ['Punctuation', '='],
      ['Number', '1'],
    ]);
    const file = py("a = '''open\nb = 1\n");
    assert.deepEqual(placeOf(file, 2), { kind: 'String', text: "'''open\nb = 1\n", line: 1, column: 4, endLine: 2 });
  });

  test('an unclosed f-string hole does not swallow the following lines', () => {
    assert.deepEqual(pairs(py('s = f"{x\ny = 2')).slice(2), [
      ['String', 'f"{x'],
      ['Identifier', 'y'],
      ['Punctuation', '='],
      ['Number', '2'],
    ]);
  });

  test('`{{` in an f-string is a literal brace, not a hole', () => {
    assert.deepEqual(pairs(py('f"{{a}}" + "}"')), [
      ['String', 'f"{{a}}"'],
      ['Punctuation', '+'],
      ['String', '"}"'],
    ]);
  });
});
