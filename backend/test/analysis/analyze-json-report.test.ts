import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  analyzeJson,
  DEFAULT_CLASSES,
  fixtureProject,
  sortedSummaries,
  summarize,
  tempDir,
  TEST_TIMEOUT_MS,
  writeFiles,
} from './analyze-support.js';

/** Source files of the fixture project that a default run analyses (vendored, minified-by-name and ignored ones left out). */
const DEFAULT_FILE_COUNT = 16;

/**
 * A corpus of 160 TypeScript files (more than one worker batch of 64) whose functions are near
 * copies of one another with seeded random edits: which pairs the index finds depends on the
 * order files reach it, so it shows whether that order leaks from the thread scheduling.
 */
async function writeNearMissCorpus(root: string): Promise<void> {
  let seed = 42;
  const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const statements = (unit: number): string[] => [
    `let total${unit} = 0;`,
    `const limit = options.limit ?? ${unit};`,
    'for (const item of items) {',
    '  if (item.weight > limit) continue;',
    `  total${unit} += item.weight * item.count;`,
    '  seen.add(item.id);',
    '  if (seen.size > 100) break;',
    '}',
    `if (total${unit} === 0) return undefined;`,
    `const average = total${unit} / seen.size;`,
    "log('average', average);",
    `return { total: total${unit}, average, count: seen.size };`,
  ];
  const files: Record<string, string> = {};
  for (let file = 0; file < 160; file++) {
    const units: string[] = [];
    for (let unit = 0; unit < 3; unit++) {
      const body = statements(unit).filter(() => random() > 0.15);
      if (random() > 0.5) body.splice(Math.floor(random() * body.length), 0, `audit(${file}, ${unit});`);
      units.push(
        `export function measure${file}_${unit}(items: Item[], options: Options, seen: Set<string>) {\n  ${body.join('\n  ')}\n}\n`,
      );
    }
    files[`file-${String(file).padStart(3, '0')}.ts`] = units.join('\n');
  }
  await writeFiles(root, files);
}

/** The fixture's Java near miss as first written: one block removed, two statements added, a run of 84 equal tokens left. */
const LEGACY_WITH_LONG_EQUAL_RUN = `package shop.legacy;

public class LegacyOrderService {
    private final List<String> audit = new ArrayList<>();
    private int checked = 0;

    public int validateOrder(Order order, Inventory inventory) {
        int problems = 0;
        checked++;
        for (OrderLine line : order.getLines()) {
            int available = inventory.available(line.getSku());
            if (line.getQuantity() <= 0) {
                audit.add("bad quantity for " + line.getSku());
                problems++;
            } else if (available < line.getQuantity()) {
                audit.add("short of " + line.getSku() + ": " + available);
                inventory.reserve(line.getSku(), available);
                problems++;
            }
        }
        if (order.getCustomer() == null) {
            audit.add("no customer on " + order.getId());
            problems++;
        }
        return problems;
    }
}
`;

describe('auxil analyze --format json', { timeout: TEST_TIMEOUT_MS }, () => {
  test('on the fixture project the report has the specified shape and exactly the known Type-1, Type-2, Type-3 and three-copy classes', async (t) => {
    const dir = await fixtureProject(t);
    const report = await analyzeJson(t, dir);

    assert.equal(report.root, dir);
    assert.equal(report.files, DEFAULT_FILE_COUNT);
    assert.ok(report.tokens > 0, 'tokens counted');
    assert.deepEqual(sortedSummaries(summarize(report)), sortedSummaries(DEFAULT_CLASSES));
    for (const clone of report.clones) {
      assert.ok(clone.tokens >= 50 && clone.lines >= 5, `default thresholds: ${JSON.stringify(clone)}`);
      if (clone.type === 3) assert.ok(clone.similarity >= 0.75 && clone.similarity < 1, `near-miss similarity ${clone.similarity}`);
      else assert.equal(clone.similarity, 1);
    }
    assert.deepEqual(report.skipped, []);
  });

  test('copies in node_modules, a *.min.js file, a lockfile and a .gitignored folder are neither reported nor counted by default', async (t) => {
    const dir = await fixtureProject(t);
    const report = await analyzeJson(t, dir);
    const files = report.clones.flatMap((clone) => clone.fragments.map((fragment) => fragment.file));
    for (const file of files) {
      assert.doesNotMatch(file, /^node_modules\/|^generated\/|\.min\.js$|package-lock\.json$/);
    }
    assert.equal(report.files, DEFAULT_FILE_COUNT);
    assert.deepEqual(report.skipped, [], 'default ignores are left out silently, not listed as skipped');
  });

  test('two runs on the same project give identical clone and skipped lists', async (t) => {
    const dir = await fixtureProject(t);
    const first = await analyzeJson(t, dir);
    const second = await analyzeJson(t, dir);
    assert.deepEqual(second.clones, first.clones);
    assert.deepEqual(second.skipped, first.skipped);
    assert.equal(second.tokens, first.tokens);
  });

  test('the clones of a project larger than one worker batch do not depend on the number of threads', async (t) => {
    const dir = await tempDir(t, 'corpus');
    await writeNearMissCorpus(dir);
    const single = await analyzeJson(t, dir, ['--threads', '1']);
    assert.equal(single.files, 160);
    assert.ok(single.clones.length > 10, `near copies found: ${single.clones.length}`);
    for (const threads of ['3', '2', '3']) {
      const parallel = await analyzeJson(t, dir, ['--threads', threads]);
      assert.deepEqual(parallel.clones, single.clones, `--threads ${threads}`);
    }
  });

  test('a near miss that keeps a run of 50+ equal tokens is still reported as a Type-3 class of the two whole methods', async (t) => {
    const dir = await fixtureProject(t);
    await writeFiles(dir, { 'java/LegacyOrderService.java': LEGACY_WITH_LONG_EQUAL_RUN });
    const report = await analyzeJson(t, dir);
    const near = summarize(report).filter((clone) => clone.type === 3);
    assert.deepEqual(near, [{ type: 3, fragments: ['java/LegacyOrderService.java:7-26', 'java/OrderService.java:9-30'] }]);
  });
});
