import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LanguageId } from '../../src/engine/lexing/tokens.js';
import { ConventionModel, type ConventionOptions } from '../../src/engine/symbols/conventions.js';
import type { FileSymbols, SymbolInfo, SymbolKind } from '../../src/engine/symbols/symbol-types.js';

function symbol(name: string, kind: SymbolKind = 'function', startLine = 1, container?: string): SymbolInfo {
  return {
    name,
    kind,
    startLine,
    endLine: startLine + 3,
    startColumn: 2,
    exported: true,
    ...(container === undefined ? {} : { container }),
  };
}

function file(...symbols: SymbolInfo[]): FileSymbols {
  return { symbols, imports: [] };
}

/** A model over `count` files at `path(i)`, each declaring `name(i)`. */
function project(
  count: number,
  path: (i: number) => string,
  name: (i: number) => string,
  language: LanguageId = 'typescript',
  options?: Partial<ConventionOptions>,
) {
  const model = new ConventionModel(options);
  for (let i = 0; i < count; i++) model.set(path(i), language, file(symbol(name(i))));
  return model;
}

const camel = (i: number): string => `loadUser${i}Profile`;
const tsPath = (i: number): string => `src/f${i}.ts`;

describe('naming conventions per language and symbol kind', () => {
  test('40 camelCase functions and one snake_case function: a rule, and one finding on that function with the counts', () => {
    const model = project(40, tsPath, camel);
    model.set('src/legacy.ts', 'typescript', file(symbol('renderPage', 'function', 3), symbol('get_user', 'function', 7)));
    const rule = model.conventions().find((c) => c.id === 'naming:typescript:function');
    assert.deepEqual(rule, {
      id: 'naming:typescript:function',
      scope: { language: 'typescript', kind: 'function' },
      rule: 'naming',
      expected: 'camelCase',
      count: 41,
      total: 42,
      share: 0.976,
    });
    assert.deepEqual(model.deviations('src/legacy.ts'), [
      {
        path: 'src/legacy.ts',
        line: 7,
        column: 2,
        rule: 'naming',
        conventionId: 'naming:typescript:function',
        message:
          "Function `get_user` is snake_case, but 41 of 42 functions (97%) in this codebase's TypeScript are camelCase. Rename it to match.",
        expected: 'camelCase',
        actual: 'snake_case',
        evidence: { count: 41, total: 42 },
      },
    ]);
    assert.deepEqual(model.deviations('src/f1.ts'), []);
  });

  test('a style followed by fewer than 90% of the names is no rule and yields no findings', () => {
    const model = project(17, tsPath, camel);
    for (let i = 0; i < 3; i++) model.set(`src/old${i}.ts`, 'typescript', file(symbol(`old_helper_${i}`)));
    assert.equal(model.conventions().filter((c) => c.rule === 'naming').length, 0);
    assert.deepEqual(model.deviations('src/old0.ts'), []);
  });

  test('fewer than 10 names teach no rule, however consistent', () => {
    const model = project(8, tsPath, camel);
    model.set('src/odd.ts', 'typescript', file(symbol('odd_one')));
    assert.equal(model.conventions().filter((c) => c.rule === 'naming').length, 0);
    assert.deepEqual(model.deviations('src/odd.ts'), []);
  });

  test('the thresholds are options: at a 0.8 share, 17 of 20 is a rule', () => {
    const model = project(17, tsPath, camel, 'typescript', { minShare: 0.8 });
    for (let i = 0; i < 3; i++) model.set(`src/old${i}.ts`, 'typescript', file(symbol(`old_helper_${i}`)));
    assert.equal(model.conventions().find((c) => c.id === 'naming:typescript:function')?.share, 0.85);
    assert.equal(model.deviations('src/old0.ts').length, 1);
  });

  test('single lowercase words fit camelCase and snake_case alike: they count for the rule and never deviate, but cannot make one alone', () => {
    const mostlyWords = project(30, tsPath, (i) => ['render', 'load', 'save'][i % 3]!);
    for (let i = 0; i < 5; i++) mostlyWords.set(`src/c${i}.ts`, 'typescript', file(symbol(`loadUser${i}`)));
    mostlyWords.set('src/snake.ts', 'typescript', file(symbol('load_user')));
    assert.equal(mostlyWords.conventions().find((c) => c.id === 'naming:typescript:function')?.count, 35);
    assert.deepEqual(
      mostlyWords.deviations('src/snake.ts').map((f) => f.actual),
      ['snake_case'],
    );
    assert.deepEqual(mostlyWords.deviations('src/f0.ts'), []);

    const onlyWords = project(30, tsPath, (i) => ['render', 'load', 'save'][i % 3]!);
    onlyWords.set('src/snake.ts', 'typescript', file(symbol('load_user')));
    assert.equal(onlyWords.conventions().filter((c) => c.rule === 'naming').length, 0);
  });

  test('each language and kind has its own rule: snake_case Python functions do not deviate from camelCase TypeScript ones', () => {
    const model = project(20, tsPath, camel);
    for (let i = 0; i < 20; i++) model.set(`py/m${i}.py`, 'python', file(symbol(`load_user_${i}`), symbol(`UserModel${i}`, 'class')));
    const ids = model.conventions().map((c) => `${c.id}=${c.expected}`);
    assert.deepEqual(ids, ['naming:python:class=PascalCase', 'naming:python:function=snake_case', 'naming:typescript:function=camelCase']);
    assert.deepEqual(model.deviations('py/m0.py'), []);
  });

  test('constructors named after their class, operators and test files are not judged', () => {
    const model = new ConventionModel();
    for (let i = 0; i < 12; i++) {
      model.set(
        `src/main/java/S${i}.java`,
        'java',
        file(symbol(`S${i}`, 'class'), symbol(`S${i}`, 'method', 5, `S${i}`), symbol(`findUser${i}`, 'method', 9, `S${i}`)),
      );
    }
    model.set('src/main/java/Ops.java', 'java', file(symbol('operator+', 'method', 3, 'Ops')));
    model.set('src/test/java/S0Test.java', 'java', file(symbol('returns_user_when_found', 'method', 3, 'S0Test')));
    assert.equal(model.conventions().find((c) => c.id === 'naming:java:method')?.total, 12);
    assert.deepEqual(model.deviations('src/main/java/S0.java'), []);
    assert.deepEqual(model.deviations('src/test/java/S0Test.java'), []);
  });

  test('Go: capitalisation is visibility, so exported PascalCase and unexported camelCase both fit; snake_case deviates', () => {
    const model = project(
      20,
      (i) => `pkg/f${i}.go`,
      (i) => (i % 2 === 0 ? `LoadUser${i}` : `parseUser${i}`),
      'go',
    );
    model.set('pkg/bad.go', 'go', file(symbol('load_user')));
    const findings = model.deviations('pkg/bad.go');
    assert.equal(findings.length, 1);
    assert.match(
      findings[0]!.message,
      /^Function `load_user` is snake_case, but 20 of 21 functions \(95%\) in this codebase's Go are (camelCase|PascalCase) \(PascalCase when exported\)/,
    );
    assert.deepEqual(model.deviations('pkg/f0.go'), []);
  });
});

describe('incremental updates', () => {
  test('set and remove adjust the counts and the findings; setting a file twice counts it once', () => {
    const model = project(40, tsPath, camel);
    model.set('src/legacy.ts', 'typescript', file(symbol('get_user')));
    model.set('src/legacy.ts', 'typescript', file(symbol('get_user')));
    const rule = () => model.conventions().find((c) => c.id === 'naming:typescript:function');
    assert.deepEqual([rule()?.count, rule()?.total], [40, 41]);
    assert.equal(model.deviations('src/legacy.ts').length, 1);

    model.remove('src/legacy.ts');
    assert.deepEqual([rule()?.count, rule()?.total], [40, 40]);
    assert.deepEqual(model.deviations('src/legacy.ts'), []);

    model.set('src/bulk.ts', 'typescript', file(...Array.from({ length: 5 }, (_, i) => symbol(`bulk_item_${i}`))));
    assert.equal(rule(), undefined, '40 of 45 is below 90%');
    assert.deepEqual(model.deviations('src/bulk.ts'), []);

    model.set('src/bulk.ts', 'typescript', file(...Array.from({ length: 5 }, (_, i) => symbol(`bulkItem${i}`))));
    assert.deepEqual([rule()?.count, rule()?.total], [45, 45]);
  });

  test('removing every file leaves no conventions', () => {
    const model = project(15, tsPath, camel);
    for (let i = 0; i < 15; i++) model.remove(tsPath(i));
    assert.deepEqual(model.conventions(), []);
  });

  test('deviations of a file the model does not know are empty', () => {
    assert.deepEqual(new ConventionModel().deviations('nowhere.ts'), []);
  });
});

describe('incremental updates match a rebuild', () => {
  test('after 400 random sets and removes, conventions and findings equal those of a model built from the final files', () => {
    let state = 11;
    const random = (): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state / 4294967296;
    };
    // Mostly conventional names, with a few deviations, so that rules hold and findings exist.
    const pick = (usual: string[], odd: string[]): string => {
      const list = random() < 0.93 ? usual : odd;
      return list[Math.floor(random() * list.length)]!;
    };
    const names = ['loadUser', 'render', 'parseJson', 'saveOrder', 'get'];
    const oddNames = ['load_user', 'LoadUser', 'MAX_SIZE'];
    const folders = ['src', 'src/api', 'lib', 'test'];
    const stems = ['user-store', 'order-api', 'index'];
    const oddStems = ['userStore', 'UserStore', 'user_store'];
    const live = new Map<string, FileSymbols>();
    const model = new ConventionModel();
    for (let step = 0; step < 400; step++) {
      const folder = folders[Math.floor(random() * folders.length)]!;
      const path = `${folder}/${pick(stems, oddStems)}-${Math.floor(random() * 12)}${random() < 0.2 ? '.test' : ''}.ts`;
      if (random() < 0.25) {
        live.delete(path);
        model.remove(path);
        continue;
      }
      const symbols = file(
        ...Array.from({ length: 1 + Math.floor(random() * 4) }, (_, i) =>
          symbol(pick(names, oddNames), i % 2 === 0 ? 'function' : 'constant', i * 4 + 1),
        ),
      );
      live.set(path, symbols);
      model.set(path, 'typescript', symbols);
    }
    const rebuilt = new ConventionModel();
    for (const [path, symbols] of live) rebuilt.set(path, 'typescript', symbols);
    assert.ok(rebuilt.conventions().length >= 3, 'the random project has conventions to compare');
    assert.ok(
      [...live.keys()].some((path) => rebuilt.deviations(path).length > 0),
      'and findings to compare',
    );
    assert.deepEqual(model.conventions(), rebuilt.conventions());
    for (const path of live.keys()) assert.deepEqual(model.deviations(path), rebuilt.deviations(path), path);
  });
});

describe('file naming per folder', () => {
  test('a folder of kebab-case files flags the one camelCase file, with the folder and counts in the message', () => {
    const model = project(9, (i) => `src/api/user-route-${i}.ts`, camel);
    model.set('src/api/userApi.ts', 'typescript', file());
    const findings = model.deviations('src/api/userApi.ts');
    assert.deepEqual(findings, [
      {
        path: 'src/api/userApi.ts',
        line: 1,
        rule: 'file-naming',
        conventionId: 'file-naming:folder:javascript:src/api',
        message:
          'File name `userApi.ts` is camelCase, but 9 of 10 TypeScript/JavaScript files (90%) in `src/api/` are named in kebab-case. Rename the file to match.',
        expected: 'kebab-case',
        actual: 'camelCase',
        evidence: { count: 9, total: 10 },
      },
    ]);
  });

  test('only direct children of one language family count: a Python file beside TypeScript ones is judged apart', () => {
    const model = project(9, (i) => `src/api/user-route-${i}.ts`, camel);
    model.set('src/api/nested/deep/userApi.ts', 'typescript', file());
    model.set('src/api/seed_data.py', 'python', file());
    assert.deepEqual(model.deviations('src/api/seed_data.py'), []);
    const folderRule = model.conventions().find((c) => c.id === 'file-naming:folder:javascript:src/api');
    assert.deepEqual([folderRule?.count, folderRule?.total], [9, 9]);
  });

  test('a folder with fewer than 5 files is judged by its language family across the codebase', () => {
    const model = project(12, (i) => `src/mod${i}/user-route.ts`, camel);
    model.set('src/tiny/UserThing.ts', 'typescript', file());
    assert.deepEqual(
      model.deviations('src/tiny/UserThing.ts').map((f) => [f.conventionId, f.expected, f.actual]),
      [['file-naming:javascript', 'kebab-case', 'PascalCase']],
    );
  });

  test('a folder big enough for its own rule but without a strong one is not judged by the family rule', () => {
    const model = project(12, (i) => `src/mod${i}/user-route.ts`, camel);
    for (const name of ['UserA', 'UserB', 'user-c', 'userD', 'user_e']) model.set(`src/mixed/${name}.ts`, 'typescript', file());
    assert.deepEqual(model.deviations('src/mixed/UserA.ts'), []);
  });
});

describe('where test files live', () => {
  test('with 12 tests under test/ folders, a test next to its source is flagged with the counts', () => {
    const model = new ConventionModel();
    for (let i = 0; i < 12; i++) model.set(`test/unit/user-${i}.test.ts`, 'typescript', file());
    model.set('src/user.spec.ts', 'typescript', file());
    const rule = model.conventions().find((c) => c.id === 'location:test:javascript');
    assert.deepEqual(rule && [rule.expected, rule.count, rule.total], ['test-folder', 12, 13]);
    const findings = model.deviations('src/user.spec.ts').filter((f) => f.rule === 'location');
    assert.equal(findings.length, 1);
    assert.equal(
      findings[0]!.message,
      'Test file `src/user.spec.ts` sits next to the code it tests (in `src/`), but 12 of 13 TypeScript/JavaScript test files (92%) in this codebase live under a test folder (test/, tests/, __tests__/, __test__/, spec/). Move it to match.',
    );
  });

  test('with colocated tests, one under __tests__ is flagged; Python tests are counted apart', () => {
    const model = new ConventionModel();
    for (let i = 0; i < 15; i++) model.set(`src/feature${i}/widget.test.tsx`, 'typescript', file());
    model.set('src/__tests__/widget.test.tsx', 'typescript', file());
    for (let i = 0; i < 3; i++) model.set(`tests/test_api_${i}.py`, 'python', file());
    assert.deepEqual(
      model.deviations('src/__tests__/widget.test.tsx').map((f) => [f.expected, f.actual]),
      [['colocated', 'test-folder']],
    );
    assert.deepEqual(model.deviations('tests/test_api_0.py'), []);
  });

  test('test files are recognised by name in every language family', () => {
    const model = new ConventionModel();
    const tests = [
      'a/b.test.js',
      'a/b.spec.ts',
      'a/test_b.py',
      'a/b_test.py',
      'a/b_test.go',
      'a/BTest.java',
      'a/BTests.cs',
      'a/BSpec.kt',
      'a/b_spec.rb',
      'a/BTest.php',
    ];
    tests.push('a/b_test.rs', 'a/b_unittest.cc');
    for (const path of tests) model.set(path, 'typescript', file());
    model.set('a/contest.ts', 'typescript', file());
    model.set('a/latest.ts', 'typescript', file());
    assert.deepEqual(
      model.conventions().find((c) => c.id === 'location:test:javascript'),
      {
        id: 'location:test:javascript',
        scope: { role: 'test', family: 'javascript' },
        rule: 'location',
        expected: 'colocated',
        count: 12,
        total: 12,
        share: 1,
      },
    );
  });
});

describe('where React components live', () => {
  test('with components under components/, one elsewhere is flagged; route files and non-components are not counted', () => {
    const model = new ConventionModel();
    for (let i = 0; i < 10; i++) model.set(`src/components/Card${i}.tsx`, 'typescript', file(symbol(`Card${i}`)));
    model.set('src/components/user-badge/index.tsx', 'typescript', file(symbol('UserBadge')));
    model.set('src/features/ProfileCard.tsx', 'typescript', file(symbol('ProfileCard')));
    model.set('src/app/settings/page.tsx', 'typescript', file(symbol('Page')));
    model.set('src/hooks/useUser.tsx', 'typescript', file(symbol('useUser')));
    const rule = model.conventions().find((c) => c.id === 'location:component:javascript');
    assert.deepEqual(rule && [rule.expected, rule.count, rule.total], ['components-folder', 11, 12]);
    const findings = model.deviations('src/features/ProfileCard.tsx').filter((f) => f.rule === 'location');
    assert.deepEqual(
      findings.map((f) => f.message),
      [
        'Component `ProfileCard` (`src/features/ProfileCard.tsx`) lives outside any `components/` folder, but 11 of 12 components (91%) in this codebase live under a `components/` folder. Move it to match.',
      ],
    );
  });
});
