import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { lex } from '../../src/engine/lexing/lex.js';
import type { LanguageId, LexedFile } from '../../src/engine/lexing/tokens.js';
import { assertWellFormed, fixture, lexChecked, pairs, placeOf, type Pair } from './token-views.js';

const LANGUAGES: readonly LanguageId[] = [
  'typescript',
  'javascript',
  'python',
  'java',
  'go',
  'csharp',
  'c',
  'cpp',
  'rust',
  'kotlin',
  'php',
  'ruby',
];

/** PHP tokenizes only inside `<?php`; every other language from the first character. */
const codeStart = (language: LanguageId): string => (language === 'php' ? '<?php ' : '');

/** Lexes with every lexer configuration: each language, plus TypeScript with JSX. */
function lexEverywhere(text: string, check: (file: LexedFile, language: string) => void): void {
  for (const language of LANGUAGES) check(lexChecked(codeStart(language) + text, language), language);
  check(lexChecked(text, 'typescript', { jsx: true }), 'tsx');
}

const identifiers = (file: LexedFile): string[] =>
  pairs(file)
    .filter(([kind]) => kind === 'Identifier')
    .map(([, text]) => text);

describe('every lexer on degenerate input', () => {
  test('an empty file has no tokens and 0 lines', () => {
    for (const language of LANGUAGES) {
      const file = lex('', language);
      assert.equal(file.count, 0, language);
      assert.equal(file.lineCount, 0, language);
    }
  });

  test('a leading BOM is skipped and shifts no column', () => {
    for (const language of LANGUAGES) {
      const text = `${codeStart(language)}alpha + beta\ngamma`;
      const plain = lexChecked(text, language);
      const withBom = lexChecked(`\uFEFF${text}`, language);
      assert.equal(withBom.count, plain.count, language);
      assert.deepEqual(pairs(withBom), pairs(plain), language);
      assert.deepEqual([...withBom.columns], [...plain.columns], language);
      assert.deepEqual(
        [...withBom.starts],
        [...plain.starts].map((start) => start + 1),
        language,
      );
      assert.equal(withBom.lineCount, 2, language);
    }
    assert.equal(lex('\uFEFF', 'python').lineCount, 0);
  });

  test('CR LF, lone CR and LF each end exactly one line; a trailing break opens no line', () => {
    lexEverywhere('one\r\ntwo\rthree\nfour\r\n', (file, language) => {
      assert.deepEqual(identifiers(file), ['one', 'two', 'three', 'four'], language);
      assert.deepEqual([...file.lines], [1, 2, 3, 4], language);
      assert.deepEqual([...file.columns], [language === 'php' ? 6 : 0, 0, 0, 0], language);
      assert.equal(file.lineCount, 4, language);
    });
  });

  test('a multi-line comment with mixed line breaks keeps later lines right', () => {
    const comments: Partial<Record<LanguageId, string>> = { python: '"""\r\n\r\n"""', ruby: '=begin\r\n\r\n=end' };
    for (const language of LANGUAGES) {
      const comment = comments[language] ?? '/*\r\n\r*/';
      const file = lexChecked(`${codeStart(language)}${comment}\nafter`, language);
      const after = pairs(file).findIndex(([, text]) => text === 'after');
      assert.equal(file.lines[after], 4, language);
    }
  });

  test('NUL and other control characters separate tokens and never stop scanning', () => {
    lexEverywhere('a\u0000b\u0001\u0008c\u001f\u007fd\u0085e', (file, language) => {
      assert.deepEqual(identifiers(file), ['a', 'b', 'c', 'd', 'e'], language);
    });
  });

  test('lone surrogates and astral characters are scanned without error', () => {
    lexEverywhere('x\uD800 \uDC00y "s\uD800" \uD83D\uDE00 z\uDBFF', (file, language) => {
      assert.ok(file.count >= 3, language);
      assertWellFormed(file);
    });
  });
});

describe('every lexer on very large or deep input', () => {
  test('a 20 MB single line completes with the exact token count', () => {
    const unit = ' identifier_alpha + identifier_beta;';
    const repeats = Math.ceil(20_000_000 / unit.length);
    for (const language of ['javascript', 'python', 'rust', 'php', 'ruby'] as const) {
      const file = lex(codeStart(language) + unit.repeat(repeats), language);
      assert.equal(file.count, repeats * 4, language);
      assert.equal(file.lineCount, 1, language);
      assert.equal(file.ends[file.count - 1], file.text.length, language);
    }
  });

  test('a 20 MB unterminated comment or string is one linear scan', () => {
    const body = 'x'.repeat(20_000_000);
    assert.equal(lex(`a /* ${body}`, 'java').count, 1);
    assert.equal(lex(`a = """${body}`, 'python').count, 3);
    assert.equal(lex(`a = \`${body}`, 'javascript').count, 3);
  });

  test('100,000 lines complete with every token on its line', () => {
    const text = 'value = other + 1\n'.repeat(100_000);
    for (const language of LANGUAGES) {
      const file = lex(codeStart(language) + text, language);
      assert.equal(file.count, 500_000, language);
      assert.equal(file.lineCount, 100_000, language);
      assert.equal(file.lines[file.count - 1], 100_000, language);
    }
  });

  test('100,000-deep parentheses and braces complete without recursion', () => {
    for (const language of LANGUAGES) {
      for (const open of ['(', '{', '[']) {
        const file = lex(codeStart(language) + open.repeat(100_000), language);
        assert.equal(file.count, 100_000, `${language} ${open}`);
      }
    }
    assert.equal(lex('{'.repeat(100_000) + '}'.repeat(100_000), 'typescript', { jsx: true }).count, 200_000);
  });

  test('100,000 nested template literals and JSX elements complete', () => {
    const templates = lex('`${'.repeat(100_000) + '}`'.repeat(100_000), 'javascript');
    assert.equal(templates.count, 200_000);
    assert.deepEqual(placeOf(templates, 199_999), { kind: 'String', text: '}`', line: 1, column: 499_998, endLine: 1 });
    const elements = lex('x = ' + '<a>'.repeat(100_000) + '</a>'.repeat(100_000), 'javascript');
    assert.equal(elements.count, 2 + 100_000 * 3 + 100_000 * 3);
  });

  test('100,000 nested interpolations and block comments complete', () => {
    assert.equal(lex('"#{'.repeat(100_000), 'ruby').count, 1);
    assert.equal(lex('$"{'.repeat(100_000), 'csharp').count, 1);
    assert.equal(lex('/*'.repeat(100_000) + ' x', 'rust').count, 0);
    assert.equal(lex('f"{'.repeat(100_000), 'python').count, 1);
  });
});

describe('unterminated literals end where their language says', () => {
  const cases: [LanguageId, string, Pair[]][] = [
    [
      'javascript',
      "a = 'open\nb",
      [
        ['Identifier', 'a'],
        ['Punctuation', '='],
        ['String', "'open"],
        ['Identifier', 'b'],
      ],
    ],
    ['javascript', 'a /* open\nb', [['Identifier', 'a']]],
    [
      'python',
      'a = "open\nb',
      [
        ['Identifier', 'a'],
        ['Punctuation', '='],
        ['String', '"open'],
        ['Identifier', 'b'],
      ],
    ],
    [
      'python',
      "a = '''open\nb",
      [
        ['Identifier', 'a'],
        ['Punctuation', '='],
        ['String', "'''open\nb"],
      ],
    ],
    [
      'java',
      "c = 'x\nb",
      [
        ['Identifier', 'c'],
        ['Punctuation', '='],
        ['String', "'x"],
        ['Identifier', 'b'],
      ],
    ],
    [
      'csharp',
      'a = $"{x\nb',
      [
        ['Identifier', 'a'],
        ['Punctuation', '='],
        ['String', '$"{x'],
        ['Identifier', 'b'],
      ],
    ],
    [
      'go',
      'a = `open\nb',
      [
        ['Identifier', 'a'],
        ['Punctuation', '='],
        ['String', '`open\nb'],
      ],
    ],
    ['c', '#define A \\\n', [['Directive', '#define A \\\n']]],
    [
      'cpp',
      'a = "open\nb',
      [
        ['Identifier', 'a'],
        ['Punctuation', '='],
        ['String', '"open'],
        ['Identifier', 'b'],
      ],
    ],
    [
      'rust',
      'a = "open\nb',
      [
        ['Identifier', 'a'],
        ['Punctuation', '='],
        ['String', '"open\nb'],
      ],
    ],
    ['rust', 'a /* /* */ b', [['Identifier', 'a']]],
    [
      'kotlin',
      'a = "open ${x\nb',
      [
        ['Identifier', 'a'],
        ['Punctuation', '='],
        ['String', '"open ${x'],
        ['Identifier', 'b'],
      ],
    ],
    [
      'kotlin',
      'a = """open\nb',
      [
        ['Identifier', 'a'],
        ['Punctuation', '='],
        ['String', '"""open\nb'],
      ],
    ],
    [
      'php',
      "<?php $a = 'open\nb",
      [
        ['Identifier', '$a'],
        ['Punctuation', '='],
        ['String', "'open\nb"],
      ],
    ],
    [
      'php',
      '<?php $a = "open {$x\nb',
      [
        ['Identifier', '$a'],
        ['Punctuation', '='],
        ['String', '"open {$x\nb'],
      ],
    ],
    [
      'ruby',
      'a = "open\nb',
      [
        ['Identifier', 'a'],
        ['Punctuation', '='],
        ['String', '"open\nb'],
      ],
    ],
    [
      'ruby',
      'a = %w[open\nb',
      [
        ['Identifier', 'a'],
        ['Punctuation', '='],
        ['String', '%w[open\nb'],
      ],
    ],
    [
      'ruby',
      'a = /open\nb',
      [
        ['Identifier', 'a'],
        ['Punctuation', '='],
        ['Regex', '/open'],
        ['Identifier', 'b'],
      ],
    ],
    ['ruby', 'a\n=begin\nb', [['Identifier', 'a']]],
  ];
  for (const [language, text, expected] of cases) {
    test(`${language}: ${JSON.stringify(text)}`, () => {
      assert.deepEqual(pairs(lexChecked(text, language)), expected);
    });
  }
});

describe('every lexer on arbitrary text', () => {
  test('each fixture lexed as every other language stays well formed', () => {
    const names = ['cli-tool.js', 'order-list.tsx', 'inventory.py', 'OrderService.java', 'OrderController.cs', 'server.go'];
    const more = ['ring_buffer.c', 'matrix.cpp', 'parser.rs', 'Repository.kt', 'invoice.php', 'report.rb'];
    for (const name of [...names, ...more]) lexEverywhere(fixture(name), () => undefined);
  });

  test('seeded random mixes of quotes, comment and interpolation openers, and line breaks stay well formed', () => {
    const pieces = [
      '"',
      "'",
      '`',
      '${',
      '#{',
      '{',
      '}',
      '/',
      '*',
      '/*',
      '*/',
      '//',
      '#',
      '\n',
      '\r',
      '\r\n',
      ' ',
      '\\',
      '<',
      '>',
      '</',
      '/>',
    ];
    pieces.push('<<~EOS', 'EOS', '<<<EOT', 'EOT', '%w[', ']', '?', ':', '@', '$', 'r#"', '"#', 'R"x(', ')x"', '"""', "'''", 'f"');
    pieces.push('=begin', '=end', '<?php', '?>', 'a', 'if', '1.5e-3', '0x1F', '.', '\u0000', '\uFEFF', '\uD800', '😀', '(', 'div');
    let seed = 20240611;
    const next = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    for (let round = 0; round < 400; round++) {
      let text = '';
      for (let k = 1 + next(50); k > 0; k--) text += pieces[next(pieces.length)];
      for (const language of LANGUAGES) assertWellFormed(lex(text, language));
      assertWellFormed(lex(text, 'typescript', { jsx: true }));
    }
  });
});
