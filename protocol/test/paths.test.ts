import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  MAX_PATH_LENGTH,
  MAX_SEGMENT_LENGTH,
  ProjectName,
  ProjectPath,
  checkProjectPath,
  describePathProblem,
  eventsPath,
  filePath,
  type PathProblem,
} from '../src/index.js';

describe('checkProjectPath', () => {
  const accepted = [
    'a.ts',
    'src/a.ts',
    'src/deeply/nested/folder/file.test.ts',
    'données/naïve.ts',
    '日本語/ファイル.ts',
    'emoji/🎉.ts',
    'a..b.ts',
    '..a.ts',
    'a..',
    '...',
    '.gitignore',
    'src/.hidden/x.ts',
    'with space/and-dash_under.score.ts',
    'ab:c.ts',
    'x'.repeat(MAX_SEGMENT_LENGTH),
    `${'d/'.repeat((MAX_PATH_LENGTH - 4) / 2)}x.ts`,
  ];
  for (const path of accepted) {
    test(`accepts ${JSON.stringify(path.length > 40 ? `${path.slice(0, 20)}… (${path.length} characters)` : path)}`, () => {
      assert.equal(checkProjectPath(path), undefined);
      assert.equal(ProjectPath.safeParse(path).success, true);
    });
  }

  test('the longest accepted path is exactly MAX_PATH_LENGTH characters', () => {
    const longest = `${'d/'.repeat((MAX_PATH_LENGTH - 4) / 2)}x.ts`;
    assert.equal(longest.length, MAX_PATH_LENGTH);
    assert.equal(checkProjectPath(longest), undefined);
    assert.equal(checkProjectPath(`d${longest}`), 'too-long');
  });

  // A Record over PathProblem: the compiler insists every problem has inputs here.
  const refused: Record<PathProblem, string[]> = {
    empty: [''],
    'too-long': ['a'.repeat(MAX_PATH_LENGTH + 1), `${'d/'.repeat(MAX_PATH_LENGTH / 2)}x`],
    absolute: ['/etc/passwd', '/', 'C:/x', 'c:x', 'Z:\\windows'],
    traversal: ['..', '../etc/passwd', 'a/../b', 'a/..', '.', './a', 'a/./b', 'a/.'],
    'nul-byte': ['a\0b', '\0', 'a/\0/b'],
    'control-character': ['a\u0001b', 'a\nb', 'a\rb', 'a\tb', 'a\u001fb', 'a\u007fb'],
    backslash: ['a\\b', '..\\etc\\passwd', 'a/b\\'],
    'empty-segment': ['a//b', 'a/', 'a/b/'],
    'segment-too-long': [`${'x'.repeat(MAX_SEGMENT_LENGTH + 1)}`, `a/${'x'.repeat(MAX_SEGMENT_LENGTH + 1)}/b`],
  };
  for (const [problem, paths] of Object.entries(refused) as [PathProblem, string[]][]) {
    test(`refuses as ${problem}: ${paths.map((path) => JSON.stringify(path.length > 20 ? `${path.slice(0, 10)}…` : path)).join(', ')}`, () => {
      for (const path of paths) {
        assert.equal(checkProjectPath(path), problem, JSON.stringify(path));
        const parsed = ProjectPath.safeParse(path);
        assert.equal(parsed.success, false, JSON.stringify(path));
        assert.equal(parsed.error?.issues[0]?.message, describePathProblem(problem));
      }
    });
  }

  test('every problem has its own message a person can act on', () => {
    const messages = (Object.keys(refused) as PathProblem[]).map(describePathProblem);
    assert.equal(new Set(messages).size, messages.length);
    for (const message of messages) assert.match(message, /^the file path|^a segment/);
  });
});

describe('ProjectName', () => {
  const accepted = ['shop', 'Shop', '1', 'my-project_1.2', 'a.b', 'x'.repeat(100)];
  const refused = ['', '-shop', '.shop', '_shop', '..', 'a/b', 'a b', 'café', 'a%2Fb', 'x'.repeat(101), 'shop\n'];

  test(`accepts ${accepted.map((name) => JSON.stringify(name.length > 20 ? `${name.slice(0, 5)}… (${name.length})` : name)).join(', ')}`, () => {
    for (const name of accepted) assert.equal(ProjectName.safeParse(name).success, true, JSON.stringify(name));
  });

  test(`refuses ${refused.map((name) => JSON.stringify(name.length > 20 ? `${name.slice(0, 5)}… (${name.length})` : name)).join(', ')}`, () => {
    for (const name of refused) assert.equal(ProjectName.safeParse(name).success, false, JSON.stringify(name));
  });
});

describe('resource paths', () => {
  test('filePath encodes each segment but keeps the separators, so the backend sees the same path', () => {
    assert.equal(filePath('shop', 'src/a.ts'), '/v1/projects/shop/files/src/a.ts');
    assert.equal(filePath('shop', 'my dir/c#.ts'), '/v1/projects/shop/files/my%20dir/c%23.ts');
    assert.equal(filePath('shop', 'café/?.ts'), '/v1/projects/shop/files/caf%C3%A9/%3F.ts');
  });

  test('eventsPath encodes the project name', () => {
    assert.equal(eventsPath('shop'), '/v1/projects/shop/events');
    assert.equal(eventsPath('a b'), '/v1/projects/a%20b/events');
  });
});
