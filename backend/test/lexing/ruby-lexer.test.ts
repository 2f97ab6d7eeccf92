import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fixture, indexOf, lexChecked, lineTokens, pairs, placeOf } from './token-views.js';

const ruby = (text: string) => lexChecked(text, 'ruby');

describe('Ruby lexer on a realistic report class', () => {
  const file = ruby(fixture('report.rb'));

  test('comments and the =begin/=end block produce no tokens', () => {
    assert.deepEqual(lineTokens(file, 1), []);
    assert.deepEqual(lineTokens(file, 6), []);
    for (const line of [43, 44, 45, 46]) assert.deepEqual(lineTokens(file, line), []);
    assert.equal(file.lineCount, 46);
  });

  test('symbols are Strings; instance and class variables are Identifiers', () => {
    assert.deepEqual(lineTokens(file, 8), [
      ['Identifier', 'attr_reader'],
      ['String', ':rows'],
      ['Punctuation', ','],
      ['String', ':title'],
    ]);
    assert.deepEqual(lineTokens(file, 14), [
      ['Identifier', '@@instances'],
      ['Punctuation', '+='],
      ['Number', '1'],
    ]);
    assert.deepEqual(lineTokens(file, 12)[0], ['Identifier', '@rows']);
  });

  test('a keyword argument label is a name followed by `:`', () => {
    assert.deepEqual(lineTokens(file, 11).slice(5, 8), [
      ['Identifier', 'title'],
      ['Punctuation', ':'],
      ['String', "'Sales'"],
    ]);
  });

  test('method names keep their `?` and `!`', () => {
    assert.deepEqual(lineTokens(file, 17), [
      ['Keyword', 'def'],
      ['Identifier', 'empty?'],
      ['Punctuation', '='],
      ['Identifier', 'rows'],
      ['Punctuation', '.'],
      ['Identifier', 'empty?'],
    ]);
    assert.deepEqual(lineTokens(file, 37)[1], ['Identifier', 'save!']);
  });

  test('a slash after `]` divides', () => {
    assert.deepEqual(lineTokens(file, 20).slice(-4), [
      ['Punctuation', ']'],
      ['Punctuation', '/'],
      ['Number', '100.0'],
      ['Punctuation', '}'],
    ]);
  });

  test('a squiggly heredoc: the opener, then its body as one String after the rest of the line', () => {
    assert.deepEqual(lineTokens(file, 24), [
      ['Identifier', 'header'],
      ['Punctuation', '='],
      ['String', '<<~TEXT'],
    ]);
    const body = '        #{title} (#{rows.size} rows)\n        Generated at #{Time.now}\n      TEXT';
    assert.deepEqual(placeOf(file, indexOf(file, body)), { kind: 'String', text: body, line: 25, column: 0, endLine: 27 });
  });

  test('an interpolated string with nested quotes and braces is one String', () => {
    assert.deepEqual(lineTokens(file, 28)[9], ['String', `"#{r[:name]} owes #{format('%.2f', r[:amount])}"`]);
  });

  test('percent literals, character literals and globals', () => {
    assert.deepEqual(lineTokens(file, 29), [
      ['Identifier', 'header'],
      ['Punctuation', '+'],
      ['Identifier', 'names'],
      ['Punctuation', '+'],
      ['String', '%w[a b c]'],
      ['Punctuation', '.'],
      ['Identifier', 'join'],
      ['Punctuation', '+'],
      ['String', '%i(x y)'],
      ['Punctuation', '.'],
      ['Identifier', 'inspect'],
      ['Punctuation', '+'],
      ['String', '?!'],
      ['Punctuation', '+'],
      ['Identifier', '$stdout'],
      ['Punctuation', '.'],
      ['Identifier', 'to_s'],
    ]);
    assert.deepEqual(lineTokens(file, 38)[6], ['String', '%Q{#{title}: #{total}}']);
  });

  test('a regex default argument, `=~`, and a leading-dot method chain', () => {
    assert.deepEqual(lineTokens(file, 32).slice(3, 6), [
      ['Identifier', 'pattern'],
      ['Punctuation', '='],
      ['Regex', '/^[A-Z]\\w+\\/?$/i'],
    ]);
    assert.deepEqual(lineTokens(file, 33).slice(-3), [
      ['Punctuation', '=~'],
      ['Identifier', 'pattern'],
      ['Punctuation', '}'],
    ]);
    assert.deepEqual(lineTokens(file, 34).slice(0, 2), [
      ['Punctuation', '.'],
      ['Identifier', 'reject'],
    ]);
  });
});

describe('Ruby edge cases', () => {
  test('regex versus division: `x / 2` divides, `split /,/` matches, `x /2` stays a division when spaced like one', () => {
    assert.deepEqual(
      pairs(ruby('a = x / 2 / y')).filter(([kind]) => kind === 'Regex'),
      [],
    );
    assert.deepEqual(pairs(ruby('parts = line.split /,\\s*/')).at(-1), ['Regex', '/,\\s*/']);
    assert.deepEqual(pairs(ruby('if /ab+/ =~ s then end'))[1], ['Regex', '/ab+/']);
  });

  test('`}` inside an interpolation block does not end the string', () => {
    assert.deepEqual(pairs(ruby('"a #{ h.map { |k| "}" }.join } b" + c')), [
      ['String', '"a #{ h.map { |k| "}" }.join } b"'],
      ['Punctuation', '+'],
      ['Identifier', 'c'],
    ]);
  });

  test('two heredocs on one line: both bodies follow, in order', () => {
    const file = ruby('call(<<-A, <<~"B")\n  one\n  A\n  two\n  B\nnext_line');
    assert.deepEqual(pairs(file), [
      ['Identifier', 'call'],
      ['Punctuation', '('],
      ['String', '<<-A'],
      ['Punctuation', ','],
      ['String', '<<~"B"'],
      ['Punctuation', ')'],
      ['String', '  one\n  A'],
      ['String', '  two\n  B'],
      ['Identifier', 'next_line'],
    ]);
  });

  test('a bare `<<NAME` heredoc versus `class << self` and `a << b`', () => {
    assert.deepEqual(pairs(ruby('x = <<EOS\nbody\nEOS\n')).slice(2), [
      ['String', '<<EOS'],
      ['String', 'body\nEOS'],
    ]);
    assert.deepEqual(pairs(ruby('class << self; a << b; end')).filter(([, text]) => text === '<<').length, 2);
  });

  test('an unterminated heredoc runs to the end of the text', () => {
    assert.deepEqual(pairs(ruby('x = <<~EOS\n  never closed\n')).at(-1), ['String', '  never closed\n']);
  });

  test('percent literals nest their brackets; `%` after an operand is modulo', () => {
    assert.deepEqual(pairs(ruby('%w[a [b] c] + %q(x (y) z)')), [
      ['String', '%w[a [b] c]'],
      ['Punctuation', '+'],
      ['String', '%q(x (y) z)'],
    ]);
    assert.deepEqual(
      pairs(ruby('x % 3 + y %2')).filter(([kind]) => kind === 'Punctuation'),
      [
        ['Punctuation', '%'],
        ['Punctuation', '+'],
        ['Punctuation', '%'],
      ],
    );
    assert.deepEqual(pairs(ruby('r = %r{a/b}i')).at(-1), ['Regex', '%r{a/b}i']);
  });

  test('operator symbols, quoted symbols, `::` and a ternary `:` are told apart', () => {
    assert.deepEqual(pairs(ruby('send(:<=>, :"a b", A::B, c ? d : e)')), [
      ['Identifier', 'send'],
      ['Punctuation', '('],
      ['String', ':<=>'],
      ['Punctuation', ','],
      ['String', ':"a b"'],
      ['Punctuation', ','],
      ['Identifier', 'A'],
      ['Punctuation', '::'],
      ['Identifier', 'B'],
      ['Punctuation', ','],
      ['Identifier', 'c'],
      ['Punctuation', '?'],
      ['Identifier', 'd'],
      ['Punctuation', ':'],
      ['Identifier', 'e'],
      ['Punctuation', ')'],
    ]);
  });

  test('a keyword used as a hash label or after `.` is a name', () => {
    assert.deepEqual(pairs(ruby('{ if: 1, class: 2 }; obj.class; x&.then')), [
      ['Punctuation', '{'],
      ['Identifier', 'if'],
      ['Punctuation', ':'],
      ['Number', '1'],
      ['Punctuation', ','],
      ['Identifier', 'class'],
      ['Punctuation', ':'],
      ['Number', '2'],
      ['Punctuation', '}'],
      ['Punctuation', ';'],
      ['Identifier', 'obj'],
      ['Punctuation', '.'],
      ['Identifier', 'class'],
      ['Punctuation', ';'],
      ['Identifier', 'x'],
      ['Punctuation', '&.'],
      ['Identifier', 'then'],
    ]);
  });

  test('globals with punctuation names and `?c` character literals', () => {
    assert.deepEqual(pairs(ruby('$! $0 $stderr x = ?a; y = c ? 1 : 2')), [
      ['Identifier', '$!'],
      ['Identifier', '$0'],
      ['Identifier', '$stderr'],
      ['Identifier', 'x'],
      ['Punctuation', '='],
      ['String', '?a'],
      ['Punctuation', ';'],
      ['Identifier', 'y'],
      ['Punctuation', '='],
      ['Identifier', 'c'],
      ['Punctuation', '?'],
      ['Number', '1'],
      ['Punctuation', ':'],
      ['Number', '2'],
    ]);
  });

  test('everything after `__END__` is data', () => {
    const file = ruby('puts 1\n__END__\nnot = code\n');
    assert.deepEqual(pairs(file), [
      ['Identifier', 'puts'],
      ['Number', '1'],
    ]);
    assert.equal(file.lineCount, 3);
  });
});
