import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fixture, indexOf, lexChecked, lineTokens, pairs, placeOf, run, type Pair } from './token-views.js';

const js = (text: string) => lexChecked(text, 'javascript', { jsx: false });
const ts = (text: string) => lexChecked(text, 'typescript');
const tsx = (text: string) => lexChecked(text, 'typescript', { jsx: true });

describe('JavaScript lexer on a realistic CLI script', () => {
  const file = lexChecked(fixture('cli-tool.js'), 'javascript');

  test('the hashbang line and comments produce no tokens', () => {
    assert.deepEqual(lineTokens(file, 1), []);
    assert.deepEqual(lineTokens(file, 2), []);
    assert.deepEqual(lineTokens(file, 9), []);
    assert.deepEqual(lineTokens(file, 10), []);
    assert.equal(file.lineCount, 39);
  });

  test('imports, numeric separators, bigints and a regex after `=`', () => {
    assert.deepEqual(lineTokens(file, 3), [
      ['Keyword', 'import'],
      ['Punctuation', '{'],
      ['Identifier', 'readFile'],
      ['Punctuation', '}'],
      ['Keyword', 'from'],
      ['String', "'node:fs/promises'"],
      ['Punctuation', ';'],
    ]);
    assert.deepEqual(lineTokens(file, 5)[3], ['Number', '1_000_000']);
    assert.deepEqual(lineTokens(file, 6)[3], ['Number', '9_007_199_254_740_993n']);
    assert.deepEqual(lineTokens(file, 7)[3], ['Regex', '/^(\\d{4})-(\\d{2})-(\\d{2})[T ]/u']);
  });

  test('a slash after `)` or a number divides', () => {
    assert.deepEqual(run(file, '/', 6), [
      ['Punctuation', '/'],
      ['Number', '1000'],
      ['Punctuation', '/'],
      ['Number', '60'],
      ['Punctuation', ';'],
      ['Keyword', 'if'],
    ]);
    assert.deepEqual(lineTokens(file, 37).slice(3), [
      ['Identifier', 'flags'],
      ['Punctuation', '/'],
      ['Number', '2'],
      ['Punctuation', '/'],
      ['Identifier', 'LIMIT'],
      ['Punctuation', ';'],
    ]);
  });

  test('a slash after `(` starts a regex', () => {
    assert.deepEqual(lineTokens(file, 35).slice(3, 6), [
      ['Punctuation', '('],
      ['Regex', '/\\r?\\n/'],
      ['Punctuation', ')'],
    ]);
  });

  test('#private names are identifiers, and multi-character operators are one token', () => {
    assert.deepEqual(lineTokens(file, 12)[0], ['Identifier', '#count']);
    assert.deepEqual(lineTokens(file, 17).slice(10, 12), [
      ['Punctuation', '!=='],
      ['Number', '0'],
    ]);
    assert.deepEqual(lineTokens(file, 18).slice(3, 4), [['Punctuation', '??=']]);
    assert.deepEqual(lineTokens(file, 19).slice(4, 5), [['Punctuation', '===']]);
    assert.deepEqual(lineTokens(file, 19).slice(15, 16), [['Punctuation', '...']]);
    assert.deepEqual(lineTokens(file, 23).slice(6, 7), [['Punctuation', '**']]);
    assert.deepEqual(lineTokens(file, 23).slice(13, 15), [
      ['Punctuation', '?.'],
      ['Identifier', 'length'],
    ]);
    assert.deepEqual(lineTokens(file, 31), [
      ['Identifier', 'flags'],
      ['Punctuation', '>>>='],
      ['Number', '2'],
      ['Punctuation', ';'],
    ]);
    assert.deepEqual(lineTokens(file, 32)[1], ['Punctuation', '**=']);
    assert.deepEqual(lineTokens(file, 35).slice(12, 13), [['Punctuation', '=>']]);
  });

  test('a template literal is emitted as String chunks around its holes, nested templates included', () => {
    assert.deepEqual(lineTokens(file, 24), [
      ['Keyword', 'return'],
      ['String', '`${'],
      ['Identifier', 'name'],
      ['String', '}: ${'],
      ['Keyword', 'this'],
      ['Punctuation', '.'],
      ['Identifier', '#count'],
      ['String', '} lines, ratio ${'],
      ['Identifier', 'ratio'],
      ['Punctuation', '.'],
      ['Identifier', 'toFixed'],
      ['Punctuation', '('],
      ['Number', '2'],
      ['Punctuation', ')'],
      ['String', '}, nested ${'],
      ['String', '`<${'],
      ['Identifier', 'name'],
      ['String', '}>`'],
      ['String', '}`'],
      ['Punctuation', ';'],
    ]);
    assert.deepEqual(placeOf(file, indexOf(file, '`${')), { kind: 'String', text: '`${', line: 24, column: 11, endLine: 24 });
  });

  test('contextual keywords: `of` in a for-of loop and `async` before `function` are keywords', () => {
    assert.deepEqual(lineTokens(file, 33).slice(3, 5), [
      ['Identifier', 'path'],
      ['Keyword', 'of'],
    ]);
    assert.deepEqual(lineTokens(file, 28).slice(0, 3), [
      ['Keyword', 'export'],
      ['Keyword', 'async'],
      ['Keyword', 'function'],
    ]);
  });
});

describe('JavaScript regex versus division', () => {
  const kinds = (text: string) => pairs(js(text)).filter(([kind]) => kind === 'Regex' || kind === 'Punctuation');

  test('after a name, a number, `)` or `]` a slash divides', () => {
    for (const text of ['a / b / c', '2 / x / 3', 'f(x) / 2 / y', 'a[0] / 2 / b']) {
      assert.ok(!pairs(js(text)).some(([kind]) => kind === 'Regex'), text);
    }
  });

  test('after an operator, `(`, `,`, `return` or `typeof` a slash starts a regex', () => {
    for (const text of ['x = /a/g', 'f(/a/)', 'f(1, /a/)', 'return /a/.test(s)', 'typeof /a/', '!/a/.test(s)', 'x ? /a/ : /b/']) {
      assert.ok(
        pairs(js(text)).some(([kind]) => kind === 'Regex'),
        text,
      );
    }
  });

  test('a slash inside a character class does not end the regex, and escapes are respected', () => {
    assert.deepEqual(kinds('s.replace(/[/\\]]+\\//g, "")'), [
      ['Punctuation', '.'],
      ['Punctuation', '('],
      ['Regex', '/[/\\]]+\\//g'],
      ['Punctuation', ','],
      ['Punctuation', ')'],
    ]);
  });

  test('`this`, `null` and postfix `++` end an operand, so the slash after them divides', () => {
    assert.deepEqual(kinds('this / 2; x++ / 2; null /2/ 1'), [
      ['Punctuation', '/'],
      ['Punctuation', ';'],
      ['Punctuation', '++'],
      ['Punctuation', '/'],
      ['Punctuation', ';'],
      ['Punctuation', '/'],
      ['Punctuation', '/'],
    ]);
  });

  test('`/=` is an operator after an operand and a regex where an operand is expected', () => {
    assert.deepEqual(pairs(js('x /= 2')), [
      ['Identifier', 'x'],
      ['Punctuation', '/='],
      ['Number', '2'],
    ]);
    assert.deepEqual(pairs(js('x = /=/')).at(-1), ['Regex', '/=/']);
  });

  test('an unterminated regex ends at the end of its line and the next line is lexed normally', () => {
    assert.deepEqual(pairs(js('x = /abc\ny = 1')), [
      ['Identifier', 'x'],
      ['Punctuation', '='],
      ['Regex', '/abc'],
      ['Identifier', 'y'],
      ['Punctuation', '='],
      ['Number', '1'],
    ]);
  });
});

describe('JavaScript literals and names', () => {
  test('numbers: separators, bigint, radix prefixes, leading dot, exponents', () => {
    const numbers = pairs(js('1_000n 0b1010 0o17 0xFF_FF .5 1e-9 2.5E+3 0x1e+5')).map(([, text]) => text);
    assert.deepEqual(numbers, ['1_000n', '0b1010', '0o17', '0xFF_FF', '.5', '1e-9', '2.5E+3', '0x1e', '+', '5']);
  });

  test('`a?.5:1` is a conditional with the number .5, not optional chaining', () => {
    assert.deepEqual(pairs(js('a?.5:1')), [
      ['Identifier', 'a'],
      ['Punctuation', '?'],
      ['Number', '.5'],
      ['Punctuation', ':'],
      ['Number', '1'],
    ]);
  });

  test('a keyword after `.` or `?.` is a property name', () => {
    assert.deepEqual(pairs(js('promise.catch(e).finally(f); x?.default; o.new')), [
      ['Identifier', 'promise'],
      ['Punctuation', '.'],
      ['Identifier', 'catch'],
      ['Punctuation', '('],
      ['Identifier', 'e'],
      ['Punctuation', ')'],
      ['Punctuation', '.'],
      ['Identifier', 'finally'],
      ['Punctuation', '('],
      ['Identifier', 'f'],
      ['Punctuation', ')'],
      ['Punctuation', ';'],
      ['Identifier', 'x'],
      ['Punctuation', '?.'],
      ['Identifier', 'default'],
      ['Punctuation', ';'],
      ['Identifier', 'o'],
      ['Punctuation', '.'],
      ['Identifier', 'new'],
    ]);
  });

  test('strings with escaped quotes are one token; an unterminated string ends at the end of its line', () => {
    assert.deepEqual(pairs(js(`a = 'it\\'s'; b = "say \\"hi\\""\nc = 'open\nd`)), [
      ['Identifier', 'a'],
      ['Punctuation', '='],
      ['String', "'it\\'s'"],
      ['Punctuation', ';'],
      ['Identifier', 'b'],
      ['Punctuation', '='],
      ['String', '"say \\"hi\\""'],
      ['Identifier', 'c'],
      ['Punctuation', '='],
      ['String', "'open"],
      ['Identifier', 'd'],
    ]);
  });

  test('a backslash line continuation keeps a string whole across the break', () => {
    const file = js("s = 'one \\\ntwo'; t");
    assert.deepEqual(placeOf(file, 2), { kind: 'String', text: "'one \\\ntwo'", line: 1, column: 4, endLine: 2 });
    assert.deepEqual(placeOf(file, 4), { kind: 'Identifier', text: 't', line: 2, column: 6, endLine: 2 });
  });

  test('a multi-line template chunk records its start line, column and end line', () => {
    const file = js('const q = `\n  select ${cols}\n  from t`;');
    assert.deepEqual(placeOf(file, 3), { kind: 'String', text: '`\n  select ${', line: 1, column: 10, endLine: 2 });
    assert.deepEqual(placeOf(file, 4), { kind: 'Identifier', text: 'cols', line: 2, column: 11, endLine: 2 });
    assert.deepEqual(placeOf(file, 5), { kind: 'String', text: '}\n  from t`', line: 2, column: 15, endLine: 3 });
  });

  test('braces inside a template hole do not end the hole', () => {
    assert.deepEqual(pairs(js('`a${ {k: 1}.k }b${ f(() => { return 2 }) }c`')), [
      ['String', '`a${'],
      ['Punctuation', '{'],
      ['Identifier', 'k'],
      ['Punctuation', ':'],
      ['Number', '1'],
      ['Punctuation', '}'],
      ['Punctuation', '.'],
      ['Identifier', 'k'],
      ['String', '}b${'],
      ['Identifier', 'f'],
      ['Punctuation', '('],
      ['Punctuation', '('],
      ['Punctuation', ')'],
      ['Punctuation', '=>'],
      ['Punctuation', '{'],
      ['Keyword', 'return'],
      ['Number', '2'],
      ['Punctuation', '}'],
      ['Punctuation', ')'],
      ['String', '}c`'],
    ]);
  });

  test('an unterminated template runs to the end of the text', () => {
    const file = js('x = `abc\ndef ${y} ghi');
    assert.deepEqual(pairs(file).slice(2), [
      ['String', '`abc\ndef ${'],
      ['Identifier', 'y'],
      ['String', '} ghi'],
    ]);
  });

  test('a `#!` line is skipped only at the very start; `#` before a name is a private name', () => {
    assert.deepEqual(pairs(js('#!/usr/bin/env node\nthis.#x = #y in o')), [
      ['Keyword', 'this'],
      ['Punctuation', '.'],
      ['Identifier', '#x'],
      ['Punctuation', '='],
      ['Identifier', '#y'],
      ['Keyword', 'in'],
      ['Identifier', 'o'],
    ]);
  });

  test('`async` before arrow parameters is a keyword; the `async` module is a name', () => {
    assert.deepEqual(pairs(js('run(async (x) => x); async.map(xs)')).slice(0, 4), [
      ['Identifier', 'run'],
      ['Punctuation', '('],
      ['Keyword', 'async'],
      ['Punctuation', '('],
    ]);
    assert.deepEqual(
      pairs(js('const async = require("async"); async.map(xs)')).filter(([, text]) => text === 'async'),
      [
        ['Identifier', 'async'],
        ['Identifier', 'async'],
      ],
    );
  });

  test('decorators are `@` then a name', () => {
    assert.deepEqual(pairs(js('@Component({}) class A {}')).slice(0, 2), [
      ['Punctuation', '@'],
      ['Identifier', 'Component'],
    ]);
  });
});

describe('TypeScript keywords and types', () => {
  test('primitive types are BuiltinType; contextual keywords count only before a name or string', () => {
    assert.deepEqual(pairs(ts('type Id = string | number; const type = 1; declare module "m" {}; let x: unknown')), [
      ['Keyword', 'type'],
      ['Identifier', 'Id'],
      ['Punctuation', '='],
      ['BuiltinType', 'string'],
      ['Punctuation', '|'],
      ['BuiltinType', 'number'],
      ['Punctuation', ';'],
      ['Keyword', 'const'],
      ['Identifier', 'type'],
      ['Punctuation', '='],
      ['Number', '1'],
      ['Punctuation', ';'],
      ['Keyword', 'declare'],
      ['Keyword', 'module'],
      ['String', '"m"'],
      ['Punctuation', '{'],
      ['Punctuation', '}'],
      ['Punctuation', ';'],
      ['Keyword', 'let'],
      ['Identifier', 'x'],
      ['Punctuation', ':'],
      ['BuiltinType', 'unknown'],
    ]);
  });

  test('`<T>` in a .ts file is a type assertion, never JSX', () => {
    assert.deepEqual(pairs(ts('const n = <number>value / 2;')), [
      ['Keyword', 'const'],
      ['Identifier', 'n'],
      ['Punctuation', '='],
      ['Punctuation', '<'],
      ['BuiltinType', 'number'],
      ['Punctuation', '>'],
      ['Identifier', 'value'],
      ['Punctuation', '/'],
      ['Number', '2'],
      ['Punctuation', ';'],
    ]);
  });

  test('in JavaScript the TypeScript type names are plain identifiers', () => {
    assert.deepEqual(pairs(js('const string = number')), [
      ['Keyword', 'const'],
      ['Identifier', 'string'],
      ['Punctuation', '='],
      ['Identifier', 'number'],
    ]);
  });
});

describe('TSX on a realistic React component', () => {
  const file = tsx(fixture('order-list.tsx'));

  test('type-only imports, interfaces and `as const`', () => {
    assert.deepEqual(lineTokens(file, 1).slice(5, 8), [
      ['Punctuation', ','],
      ['Keyword', 'type'],
      ['Identifier', 'ReactNode'],
    ]);
    assert.deepEqual(lineTokens(file, 5), [
      ['Keyword', 'readonly'],
      ['Identifier', 'id'],
      ['Punctuation', ':'],
      ['BuiltinType', 'string'],
      ['Punctuation', ';'],
    ]);
    assert.deepEqual(lineTokens(file, 12).slice(-3), [
      ['Keyword', 'as'],
      ['Keyword', 'const'],
      ['Punctuation', ';'],
    ]);
  });

  test('generic calls stay comparisons, not JSX', () => {
    assert.deepEqual(lineTokens(file, 15).slice(7, 13), [
      ['Identifier', 'useState'],
      ['Punctuation', '<'],
      ['BuiltinType', 'string'],
      ['Punctuation', '|'],
      ['Keyword', 'null'],
      ['Punctuation', '>'],
    ]);
  });

  test('an opening tag: names with dashes, string attributes and `{}` expressions', () => {
    assert.deepEqual(lineTokens(file, 19), [
      ['Punctuation', '<'],
      ['Identifier', 'section'],
      ['Identifier', 'className'],
      ['Punctuation', '='],
      ['String', '"orders"'],
      ['Identifier', 'data-count'],
      ['Punctuation', '='],
      ['Punctuation', '{'],
      ['Identifier', 'visible'],
      ['Punctuation', '.'],
      ['Identifier', 'length'],
      ['Punctuation', '}'],
      ['Punctuation', '>'],
    ]);
  });

  test('text between tags is one trimmed String, and an apostrophe in it does not start a string', () => {
    assert.deepEqual(lineTokens(file, 20), [
      ['Punctuation', '<'],
      ['Identifier', 'h2'],
      ['Punctuation', '>'],
      ['String', 'Orders & totals:'],
      ['Punctuation', '{'],
      ['Identifier', 'total'],
      ['Punctuation', '.'],
      ['Identifier', 'toFixed'],
      ['Punctuation', '('],
      ['Number', '2'],
      ['Punctuation', ')'],
      ['Punctuation', '}'],
      ['Punctuation', '</'],
      ['Identifier', 'h2'],
      ['Punctuation', '>'],
    ]);
    assert.deepEqual(lineTokens(file, 24).slice(0, 2), [
      ['String', "Don't forget #"],
      ['Punctuation', '{'],
    ]);
    assert.deepEqual(placeOf(file, indexOf(file, "Don't forget #")), {
      kind: 'String',
      text: "Don't forget #",
      line: 24,
      column: 12,
      endLine: 24,
    });
  });

  test('elements nest inside expressions inside elements, with spreads and self-closing tags', () => {
    const expected: Pair[] = [
      ['Punctuation', '?'],
      ['Punctuation', '<'],
      ['Identifier', 'strong'],
      ['Punctuation', '>'],
      ['String', 'big'],
      ['Punctuation', '</'],
      ['Identifier', 'strong'],
      ['Punctuation', '>'],
      ['Punctuation', ':'],
      ['String', "'small'"],
      ['Punctuation', '}'],
    ];
    assert.deepEqual(lineTokens(file, 24).slice(-11), expected);
    assert.deepEqual(lineTokens(file, 29).slice(9, 13), [
      ['Punctuation', '<'],
      ['Identifier', 'button'],
      ['Identifier', 'onClick'],
      ['Punctuation', '='],
    ]);
  });

  test('fragments open and close', () => {
    assert.deepEqual(lineTokens(file, 28), [
      ['Punctuation', '<'],
      ['Punctuation', '>'],
    ]);
    assert.deepEqual(lineTokens(file, 30), [
      ['Punctuation', '</'],
      ['Punctuation', '>'],
    ]);
  });

  test('after the component the scanner is back in code: a `<T,>` generic arrow does not derail it', () => {
    assert.deepEqual(lineTokens(file, 36).slice(-4), [
      ['Identifier', 'T'],
      ['Punctuation', '=>'],
      ['Identifier', 'value'],
      ['Punctuation', ';'],
    ]);
    assert.deepEqual(lineTokens(file, 37), [
      ['Keyword', 'export'],
      ['Keyword', 'default'],
      ['Identifier', 'OrderList'],
      ['Keyword', 'satisfies'],
      ['Identifier', 'React'],
      ['Punctuation', '.'],
      ['Identifier', 'FC'],
      ['Punctuation', '<'],
      ['Identifier', 'Props'],
      ['Punctuation', '>'],
      ['Punctuation', ';'],
    ]);
  });

  test('a misread `<` in JSX children or an unclosed element never throws and keeps positions right', () => {
    for (const text of ['<div>a < b</div>; x', '<a><b>', 'x = <div attr={</div>', '<A {...p} />/2', '<div>{`t ${<b/>}`}</div>']) {
      tsx(text);
    }
  });
});
