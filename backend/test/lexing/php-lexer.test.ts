import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fixture, indexOf, lexChecked, lineTokens, pairs, placeOf } from './token-views.js';

const php = (text: string) => lexChecked(text, 'php');

describe('PHP lexer on a realistic template with a class', () => {
  const file = php(fixture('invoice.php'));

  test('inline HTML outside the tags produces no tokens; `<?= ... ?>` code does', () => {
    assert.deepEqual(lineTokens(file, 1), []);
    assert.deepEqual(lineTokens(file, 3), [
      ['Identifier', 'htmlspecialchars'],
      ['Punctuation', '('],
      ['Identifier', '$title'],
      ['Punctuation', ')'],
    ]);
    assert.deepEqual(lineTokens(file, 43), []);
    assert.deepEqual(lineTokens(file, 45), []);
    assert.equal(file.lineCount, 46);
  });

  test('namespaces separate names with `\\`; an attribute opens with one `#[` token', () => {
    assert.deepEqual(lineTokens(file, 8), [
      ['Keyword', 'namespace'],
      ['Identifier', 'App'],
      ['Punctuation', '\\'],
      ['Identifier', 'Billing'],
      ['Punctuation', ';'],
    ]);
    assert.deepEqual(lineTokens(file, 12).slice(0, 2), [
      ['Punctuation', '#['],
      ['Identifier', 'Attribute'],
    ]);
  });

  test('variables keep their `$`; type names are BuiltinType; `array` is a keyword', () => {
    assert.deepEqual(lineTokens(file, 17).slice(4, 13), [
      ['Keyword', 'private'],
      ['Keyword', 'readonly'],
      ['Identifier', 'Customer'],
      ['Identifier', '$customer'],
      ['Punctuation', ','],
      ['Keyword', 'private'],
      ['Keyword', 'array'],
      ['Identifier', '$lines'],
      ['Punctuation', '='],
    ]);
    assert.deepEqual(lineTokens(file, 19).slice(-2), [
      ['Punctuation', ':'],
      ['BuiltinType', 'float'],
    ]);
  });

  test('`//` and `#` comments are dropped; `->`, `?->`, `??` and `::` are operators', () => {
    assert.deepEqual(lineTokens(file, 23).at(-1), ['Punctuation', ';']);
    assert.deepEqual(lineTokens(file, 25), []);
    assert.deepEqual(lineTokens(file, 31), [
      ['Identifier', '$name'],
      ['Punctuation', '='],
      ['Identifier', '$this'],
      ['Punctuation', '->'],
      ['Identifier', 'customer'],
      ['Punctuation', '?->'],
      ['Identifier', 'name'],
      ['Punctuation', '??'],
      ['String', "'anonymous'"],
      ['Punctuation', ';'],
    ]);
  });

  test('a heredoc and a nowdoc are one String each, from `<<<` to the closing name', () => {
    const heredoc = '<<<HTML\n            <p>Dear {$name},</p>\n            <p>Total: {$this->total()}</p>\n            HTML';
    assert.deepEqual(placeOf(file, indexOf(file, heredoc)), { kind: 'String', text: heredoc, line: 32, column: 16, endLine: 35 });
    assert.deepEqual(lineTokens(file, 35), [['Punctuation', ';']]);
    const nowdoc = "<<<'TXT'\n            No $interpolation here.\n            TXT";
    assert.deepEqual(placeOf(file, indexOf(file, nowdoc)), { kind: 'String', text: nowdoc, line: 36, column: 15, endLine: 38 });
  });

  test('interpolated and single-quoted strings; a keyword after `::` is a name', () => {
    assert.deepEqual(lineTokens(file, 39).slice(5, 12), [
      ['String', '"Customer: {$name}\\n"'],
      ['Punctuation', '.'],
      ['String', "'It\\'s done'"],
      ['Punctuation', '.'],
      ['Identifier', 'Customer'],
      ['Punctuation', '::'],
      ['Identifier', 'class'],
    ]);
  });

  test('code after a later `<?php` is tokenized again', () => {
    assert.deepEqual(lineTokens(file, 44).slice(0, 3), [
      ['Keyword', 'echo'],
      ['Punctuation', '('],
      ['Keyword', 'new'],
    ]);
  });
});

describe('PHP edge cases', () => {
  test('a file without a closing tag is code to its end', () => {
    assert.deepEqual(pairs(php('<?php\n$a = 1;\n')), [
      ['Identifier', '$a'],
      ['Punctuation', '='],
      ['Number', '1'],
      ['Punctuation', ';'],
    ]);
  });

  test('a file with no opening tag has no tokens', () => {
    assert.equal(php('<p>$notCode = 1;</p>\n').count, 0);
  });

  test('a `//` comment ends at `?>`, which leaves PHP mode', () => {
    assert.deepEqual(pairs(php('<?php $a; // note ?> <b>$html</b> <?php $b;')), [
      ['Identifier', '$a'],
      ['Punctuation', ';'],
      ['Identifier', '$b'],
      ['Punctuation', ';'],
    ]);
  });

  test('keywords are case-insensitive', () => {
    assert.deepEqual(pairs(php('<?php FUNCTION Foo() { RETURN NULL; }')).slice(0, 2), [
      ['Keyword', 'FUNCTION'],
      ['Identifier', 'Foo'],
    ]);
  });

  test('an unterminated heredoc runs to the end of the text', () => {
    assert.deepEqual(pairs(php('<?php $x = <<<EOT\nnever closed\n')).at(-1), ['String', '<<<EOT\nnever closed\n']);
  });

  test('`<<` that is not a heredoc opener is a shift', () => {
    assert.deepEqual(
      pairs(php('<?php $a << 2; $b <<= 1;')).filter(([kind]) => kind === 'Punctuation'),
      [
        ['Punctuation', '<<'],
        ['Punctuation', ';'],
        ['Punctuation', '<<='],
        ['Punctuation', ';'],
      ],
    );
  });
});
