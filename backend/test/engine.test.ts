import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ANALYSED_EXTENSIONS } from '@auxil/protocol';
import { CloneIndex, type CloneOptions } from '../src/engine/clone-index.js';
import { analysedExtensions, syntaxForPath, type LanguageSyntax } from '../src/engine/languages.js';
import { hashToken, tokenize } from '../src/engine/lexer.js';

function syntax(path: string): LanguageSyntax {
  const found = syntaxForPath(path);
  assert.ok(found, `a syntax for ${path}`);
  return found;
}

const TS = syntax('a.ts');
const PY = syntax('a.py');

/** The exact-text hashes of the tokens `text` should split into, to compare with `tokenize`. */
const hashes = (...tokens: string[]): number[] => tokens.map(hashToken);
const exact = (text: string, language = TS): number[] => Array.from(tokenize(text, language).exact);
const lines = (text: string, language = TS) => {
  const stream = tokenize(text, language);
  return { start: Array.from(stream.startLine), end: Array.from(stream.endLine) };
};

describe('lexer', () => {
  test('syntaxForPath picks the language by extension, case-insensitively, and ignores unknown or dotless names', () => {
    assert.equal(syntaxForPath('src/a.ts')?.id, 'typescript');
    assert.equal(syntaxForPath('src/A.TSX')?.id, 'typescript');
    assert.equal(syntaxForPath('lib/x.py')?.id, 'python');
    assert.equal(syntaxForPath('run.sh')?.id, 'shell');
    assert.equal(syntaxForPath('README.md'), undefined);
    assert.equal(syntaxForPath('Makefile'), undefined);
    assert.equal(syntaxForPath('src.ts/Makefile'), undefined, 'a dot in a folder name is not an extension');
  });

  test('line comments (//) and block comments (/* */) are dropped', () => {
    assert.deepEqual(exact('a // b c\nd'), hashes('a', 'd'));
    assert.deepEqual(exact('a /* b\n c */ d'), hashes('a', 'd'));
    assert.deepEqual(exact('a /** doc */ d'), hashes('a', 'd'));
  });

  test('# starts a comment in Python but not in TypeScript', () => {
    assert.deepEqual(exact('a # b c\nd', PY), hashes('a', 'd'));
    assert.deepEqual(exact('a # b', TS), hashes('a', '#', 'b'));
  });

  test('a string is one token, comment markers inside it included', () => {
    assert.deepEqual(exact('x = "a b // c /* d";'), hashes('x', '=', '"a b // c /* d"', ';'));
    assert.deepEqual(exact("x = 'it\\'s';"), hashes('x', '=', "'it\\'s'", ';'));
    assert.deepEqual(exact('x = `a\nb`;'), hashes('x', '=', '`a\nb`', ';'));
    assert.deepEqual(exact('x = """a # b\nc"""', PY), hashes('x', '=', '"""a # b\nc"""'));
  });

  test('LF, CRLF and lone CR each end one line', () => {
    const expected = { start: [1, 2, 3, 4], end: [1, 2, 3, 4] };
    assert.deepEqual(lines('a\nb\nc\nd'), expected);
    assert.deepEqual(lines('a\r\nb\r\nc\r\nd'), expected);
    assert.deepEqual(lines('a\rb\rc\rd'), expected);
    assert.deepEqual(lines('a\r\nb\rc\nd'), expected);
  });

  test('newlines inside block comments and multi-line strings are counted, whatever their style', () => {
    assert.deepEqual(lines('a /* x\r\ny\rz\n */ b'), { start: [1, 4], end: [1, 4] });
    assert.deepEqual(lines('a = `x\r\ny`\nb'), { start: [1, 1, 1, 3], end: [1, 1, 2, 3] });
  });

  test('a backslash-newline inside a string continues the string and still counts the line', () => {
    for (const newline of ['\n', '\r\n', '\r']) {
      const text = `s = "a\\${newline}b";${newline}x`;
      assert.deepEqual(exact(text), hashes('s', '=', `"a\\${newline}b"`, ';', 'x'), JSON.stringify(newline));
      assert.deepEqual(lines(text), { start: [1, 1, 1, 2, 3], end: [1, 1, 2, 2, 3] }, JSON.stringify(newline));
    }
  });

  test('a byte order mark shifts neither tokens nor lines', () => {
    const text = 'const a = 1;\nconst b = "x";\n';
    assert.deepEqual(tokenize(`\uFEFF${text}`, TS), tokenize(text, TS));
  });

  test('identifiers and literals are abstracted in the normalised stream; keywords and punctuation are not', () => {
    const one = tokenize('if (count > 1) return "a";', TS);
    const two = tokenize('if (total > 2) return "b";', TS);
    assert.deepEqual(one.normalized, two.normalized);
    assert.notDeepEqual(one.exact, two.exact);
    const other = tokenize('while (total > 2) return "b";', TS);
    assert.notDeepEqual(one.normalized, other.normalized);
  });

  test('an unterminated string ends at the end of its line', () => {
    assert.deepEqual(exact('x = "open\ny'), hashes('x', '=', '"open', 'y'));
  });

  test('an unterminated string, template or block comment on a long input ends in bounded time', () => {
    const long = 'x'.repeat(2_000_000);
    const cases: [string, number][] = [
      [`"${long}`, 1],
      [`\`${long}\n${long}`, 1],
      [`a /* ${long}\n${long}`, 1],
      [`"${'\\'.repeat(2_000_001)}`, 1],
    ];
    for (const [text, tokens] of cases) {
      const started = performance.now();
      assert.equal(tokenize(text, TS).length, tokens);
      const elapsed = performance.now() - started;
      // A linear scan takes milliseconds; a quadratic one would take hours, so the bound is loose.
      assert.ok(elapsed < 2000, `took ${Math.round(elapsed)} ms for ${text.length} characters`);
    }
  });
});

describe('CloneIndex', () => {
  /** A ten-line function of about 75 tokens; `name`, `item` and `rate` change only identifiers. */
  const orderTotal = (
    name = 'total',
    item = 'item',
    rate = 'rate',
  ): string => `export function ${name}(items: Item[], ${rate}: number): number {
  let subtotal = 0;
  for (const ${item} of items) {
    if (${item}.quantity <= 0) {
      continue;
    }
    subtotal += ${item}.price * ${item}.quantity;
  }
  return Math.round(subtotal * (1 + ${rate}) * 100) / 100;
}
`;
  /** A class of about 80 tokens that shares nothing with `orderTotal`. */
  const unrelated = `export class Greeter {
  private count = 0;
  constructor(private readonly greeting: string) {}
  greet(who: string): string {
    this.count += 1;
    return this.greeting + ', ' + who + '!';
  }
  get greeted(): number {
    return this.count;
  }
}
`;

  test('identical copies in two files are reported on both sides as clone type 1 with their line spans', () => {
    const index = new CloneIndex();
    index.upsert('a.ts', `import { Item } from './item';\n\n${orderTotal()}`);
    index.upsert('b.ts', orderTotal());
    const [a] = index.clonesOf('a.ts');
    const [b] = index.clonesOf('b.ts');
    assert.ok(a && b);
    assert.equal(a.cloneType, 1);
    assert.equal(b.cloneType, 1);
    assert.deepEqual([a.startLine, a.endLine], [3, 12]);
    assert.deepEqual(a.copies, [{ path: 'b.ts', startLine: 1, endLine: 10 }]);
    assert.deepEqual(b.copies, [{ path: 'a.ts', startLine: 3, endLine: 12 }]);
    assert.equal(a.tokens, b.tokens);
    assert.ok(a.tokens >= 50);
  });

  test('copies that differ only in identifiers are clone type 2', () => {
    const index = new CloneIndex();
    index.upsert('a.ts', orderTotal());
    index.upsert('b.ts', orderTotal('sum', 'line', 'taxRate'));
    const clones = index.clonesOf('b.ts');
    assert.equal(clones.length, 1);
    assert.equal(clones[0]?.cloneType, 2);
  });

  test('layout and comments do not prevent a match', () => {
    const index = new CloneIndex();
    index.upsert('a.ts', orderTotal());
    index.upsert('b.ts', `/* moved here */\n${orderTotal().replace(/\n {2}/g, '\n\t\t// indented\n\t\t')}`);
    assert.equal(index.clonesOf('b.ts')[0]?.cloneType, 1);
  });

  test('a shared fragment shorter than minTokens is not reported', () => {
    const short = 'export function f(a: number) {\n  const b = a * 2;\n  const c = b + 1;\n  const d = c - 3;\n  return d;\n}\n';
    const index = new CloneIndex({ minTokens: 50, minLines: 5 });
    index.upsert('a.ts', short);
    index.upsert('b.ts', short);
    assert.ok(tokenize(short, TS).length < 50);
    assert.deepEqual(index.clonesOf('a.ts'), []);

    const lower = new CloneIndex({ minTokens: 20, minLines: 5 });
    lower.upsert('a.ts', short);
    lower.upsert('b.ts', short);
    assert.equal(lower.clonesOf('a.ts').length, 1, 'the same fragment is reported once minTokens allows it');
  });

  test('a shared fragment on fewer than minLines lines is not reported', () => {
    const oneLine = orderTotal().replace(/\n\s*/g, ' ');
    const strict = new CloneIndex({ minTokens: 50, minLines: 5 });
    strict.upsert('a.ts', oneLine);
    strict.upsert('b.ts', oneLine);
    assert.deepEqual(strict.clonesOf('a.ts'), []);

    const lenient = new CloneIndex({ minTokens: 50, minLines: 1 });
    lenient.upsert('a.ts', oneLine);
    lenient.upsert('b.ts', oneLine);
    assert.equal(lenient.clonesOf('a.ts').length, 1, 'the same fragment is reported once minLines allows it');
  });

  test('upsert returns the file itself plus every file it shares code with, before and after the change', () => {
    const index = new CloneIndex();
    assert.deepEqual(index.upsert('a.ts', orderTotal()), new Set(['a.ts']));
    assert.deepEqual(index.upsert('other.ts', unrelated), new Set(['other.ts']));
    assert.deepEqual(index.upsert('b.ts', orderTotal('sum')), new Set(['b.ts', 'a.ts']));
    assert.deepEqual(index.upsert('b.ts', unrelated.replace('Greeter', 'Welcomer')), new Set(['b.ts', 'a.ts', 'other.ts']));
    assert.deepEqual(index.clonesOf('a.ts'), [], 'the copy in b.ts is gone');
  });

  test("remove clears the other file's clones and returns it as affected", () => {
    const index = new CloneIndex();
    index.upsert('a.ts', orderTotal());
    index.upsert('b.ts', orderTotal());
    assert.equal(index.clonesOf('a.ts').length, 1);
    assert.deepEqual(index.remove('b.ts'), new Set(['b.ts', 'a.ts']));
    assert.deepEqual(index.clonesOf('a.ts'), []);
    assert.deepEqual(index.clonesOf('b.ts'), []);
    assert.equal(index.size, 1);
    assert.deepEqual(index.remove('never-added.ts'), new Set(['never-added.ts']));
  });

  test('a function repeated inside one file is reported, each copy pointing at the other', () => {
    const index = new CloneIndex();
    index.upsert('self.ts', `${orderTotal('first', 'x')}\n${orderTotal('second', 'y')}`);
    const clones = index.clonesOf('self.ts');
    assert.deepEqual(
      clones.map((clone) => [clone.startLine, clone.endLine, clone.copies]),
      [
        [1, 10, [{ path: 'self.ts', startLine: 12, endLine: 21 }]],
        [12, 21, [{ path: 'self.ts', startLine: 1, endLine: 10 }]],
      ],
    );
  });

  test('files with an extension the engine does not analyse are not indexed', () => {
    const index = new CloneIndex();
    assert.deepEqual(index.upsert('notes.md', orderTotal()), new Set(['notes.md']));
    assert.deepEqual(index.upsert('a.ts', orderTotal()), new Set(['a.ts']));
    assert.equal(index.size, 1);
    assert.deepEqual(index.clonesOf('notes.md'), []);
    assert.deepEqual(index.clonesOf('a.ts'), []);
  });

  test('the output is the same whatever order the files were added in, with copies sorted by path', () => {
    const files: Record<string, string> = {
      'c.ts': `${unrelated}\n${orderTotal('c')}`,
      'a.ts': orderTotal('a'),
      'b.ts': `${orderTotal('b')}\n${unrelated}`,
      'd.ts': unrelated,
    };
    const build = (order: string[], options?: CloneOptions) => {
      const index = new CloneIndex(options);
      for (const path of order) index.upsert(path, files[path] as string);
      return Object.fromEntries(Object.keys(files).map((path) => [path, index.clonesOf(path)]));
    };
    const forwards = build(['a.ts', 'b.ts', 'c.ts', 'd.ts']);
    const backwards = build(['d.ts', 'c.ts', 'b.ts', 'a.ts']);
    assert.deepEqual(backwards, forwards);
    assert.deepEqual(
      forwards['a.ts']?.flatMap((clone) => clone.copies.map((copy) => copy.path)),
      ['b.ts', 'c.ts'],
    );
    assert.ok((forwards['d.ts']?.length ?? 0) > 0, 'the class repeated in b.ts, c.ts and d.ts is found too');
  });
});

describe('analysed extensions', () => {
  test("protocol's ANALYSED_EXTENSIONS lists exactly the extensions the engine analyses", () => {
    assert.deepEqual(new Set(ANALYSED_EXTENSIONS), new Set(analysedExtensions()));
    assert.equal(ANALYSED_EXTENSIONS.length, new Set(ANALYSED_EXTENSIONS).size, 'no extension is listed twice');
    for (const extension of ANALYSED_EXTENSIONS) assert.ok(syntaxForPath(`file.${extension}`), extension);
  });
});
