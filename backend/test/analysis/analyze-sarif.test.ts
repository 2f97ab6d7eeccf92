import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { describe, test, type TestContext } from 'node:test';
import { pathToFileURL } from 'node:url';
import AjvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { analyzeJson, DEFAULT_CLASSES, fixtureProject, git, runCli, tempDir, TEST_TIMEOUT_MS, writeFiles } from './analyze-support.js';

// Both packages are CommonJS whose `module.exports` is also their `default`; NodeNext types see the latter.
const AjvDraft04 = AjvDraft04Module.default;
const addFormats = addFormatsModule.default;

/**
 * The SARIF 2.1.0 schema as Microsoft's SARIF SDK ships it (@microsoft/jest-sarif): the
 * 2.1.0-rtm.5 schema, the release the OASIS standard was approved from, written in JSON Schema draft-04.
 */
async function sarifValidator() {
  const schemaFile = createRequire(import.meta.url).resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const schema = JSON.parse(await readFile(schemaFile, 'utf8')) as object;
  // rtm.5's pattern for `language` has a stray `]`, legal only in a non-unicode regular expression.
  const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

/** Just the parts of a SARIF log that the GitHub code scanning checks below read. */
interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string }[] } };
    originalUriBaseIds?: Record<string, { uri: string }>;
    results: SarifResult[];
  }[];
}

interface SarifLocation {
  id?: number;
  physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; endLine?: number } };
}

interface SarifResult {
  ruleId: string;
  message: { text: string };
  locations: SarifLocation[];
  relatedLocations: SarifLocation[];
  partialFingerprints: Record<string, string>;
}

async function sarifOf(t: TestContext, dir: string): Promise<unknown> {
  const result = await runCli(t, ['analyze', dir, '--format', 'sarif']);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as unknown;
}

const place = (location: SarifLocation): string =>
  `${decodeURIComponent(location.physicalLocation.artifactLocation.uri)}:${location.physicalLocation.region.startLine}-${location.physicalLocation.region.endLine}`;

describe('auxil analyze --format sarif', { timeout: TEST_TIMEOUT_MS }, () => {
  test('the log validates against the SARIF 2.1.0 JSON schema', async (t) => {
    const validate = await sarifValidator();
    const log = await sarifOf(t, await fixtureProject(t));
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
  });

  test('the schema check is real: a log missing what the schema requires fails it', async () => {
    const validate = await sarifValidator();
    assert.equal(validate({ version: '2.1.0', runs: [{ results: [] }] }), false, 'a run without a tool');
    assert.equal(validate({ version: '2.0.0', runs: [] }), false, 'another version');
  });

  test('it has what GitHub code scanning reads: one result per copy, each pointing at its copy with the others as linked related locations', async (t) => {
    const dir = await fixtureProject(t);
    const log = (await sarifOf(t, dir)) as SarifLog;
    const report = await analyzeJson(t, dir);
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
    const run = log.runs[0] as SarifLog['runs'][number];
    assert.equal(run.tool.driver.name, 'Auxil');
    const ruleIds = new Set(run.tool.driver.rules.map((rule) => rule.id));
    assert.equal(ruleIds.size, run.tool.driver.rules.length, 'rule ids are unique');
    assert.equal(run.originalUriBaseIds?.['%SRCROOT%']?.uri, `${pathToFileURL(dir).href}/`);

    const copies = report.clones.flatMap((clone) =>
      clone.fragments.map((fragment) => `${fragment.file}:${fragment.startLine}-${fragment.endLine}`),
    );
    assert.equal(run.results.length, copies.length, 'one result per copy');
    assert.deepEqual(run.results.map((result) => place(result.locations[0] as SarifLocation)).sort(), [...copies].sort());

    for (const result of run.results) {
      assert.ok(ruleIds.has(result.ruleId), `rule ${result.ruleId} is declared`);
      assert.ok(result.message.text.length > 0);
      assert.equal(result.locations.length, 1);
      const { artifactLocation, region } = (result.locations[0] as SarifLocation).physicalLocation;
      assert.equal(artifactLocation.uriBaseId, '%SRCROOT%');
      assert.doesNotMatch(artifactLocation.uri, /^[a-z]+:|^\//, 'relative uri');
      assert.ok(Number.isInteger(region.startLine) && region.startLine >= 1);

      const clone = report.clones.find((candidate) =>
        candidate.fragments.some(
          (fragment) => `${fragment.file}:${fragment.startLine}-${fragment.endLine}` === place(result.locations[0] as SarifLocation),
        ),
      );
      assert.ok(clone, 'the result belongs to a class of the JSON report');
      assert.equal(result.relatedLocations.length, clone.fragments.length - 1, 'the other copies are related locations');
      const others = clone.fragments
        .map((fragment) => `${fragment.file}:${fragment.startLine}-${fragment.endLine}`)
        .filter((copy) => copy !== place(result.locations[0] as SarifLocation));
      assert.deepEqual(result.relatedLocations.map(place).sort(), others.sort());
      for (const related of result.relatedLocations) {
        assert.equal(related.physicalLocation.artifactLocation.uriBaseId, '%SRCROOT%');
        assert.ok(result.message.text.includes(`](${related.id})`), `message links related location ${related.id}: ${result.message.text}`);
      }
      const fingerprints = Object.values(result.partialFingerprints);
      assert.ok(fingerprints.length > 0 && fingerprints.every((value) => value.length > 0), 'partialFingerprints');
    }
    const fingerprints = run.results.map((result) => JSON.stringify(result.partialFingerprints));
    assert.equal(new Set(fingerprints).size, fingerprints.length, 'each copy has its own fingerprint');
    assert.equal(report.clones.length, DEFAULT_CLASSES.length);
  });

  test('file names with spaces, #, % and brackets become valid relative URIs and do not break the message links', async (t) => {
    const dir = await fixtureProject(t);
    const odd = 'odd names/wrap #1 [100%].go';
    await writeFiles(dir, { [odd]: await readFile(`${dir}/go/cli/wrap.go`, 'utf8') });
    const validate = await sarifValidator();
    const log = (await sarifOf(t, dir)) as SarifLog;
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    const results = (log.runs[0] as SarifLog['runs'][number]).results;
    const own = results.find((result) => place(result.locations[0] as SarifLocation).startsWith(odd));
    assert.ok(own, `a result for ${odd}`);
    const uri = (own.locations[0] as SarifLocation).physicalLocation.artifactLocation.uri;
    assert.equal(uri, 'odd%20names/wrap%20%231%20%5B100%25%5D.go');
    const mentioning = results.find((result) => result !== own && result.message.text.includes('odd names'));
    assert.ok(mentioning, 'another copy links to it');
    assert.match(
      mentioning.message.text,
      /\[odd names\/wrap #1 \\\[100%\\\]\.go:\d+-\d+\]\(\d+\)/,
      'brackets in the link text are escaped',
    );
  });

  test('inside a git repository, paths are relative to its root (as GitHub reads them) and fingerprints survive code moving down', async (t) => {
    const repo = await tempDir(t, 'sarif-repo');
    await git(repo, ['init', '-q']);
    const project = join(repo, 'services', 'shop');
    await fixtureProject(t, project);
    const before = (await sarifOf(t, project)) as SarifLog;
    const run = before.runs[0];
    assert.ok(run);
    assert.equal(run.originalUriBaseIds?.['%SRCROOT%']?.uri, `${pathToFileURL(repo).href}/`);
    const uris = run.results.map((result) => result.locations[0]?.physicalLocation.artifactLocation.uri ?? '');
    assert.ok(uris.length > 0 && uris.every((uri) => uri.startsWith('services/shop/')), uris.join(' '));

    const file = join(project, 'py', 'inventory.py');
    await writeFiles(project, { 'py/inventory.py': `# moved down\n\n\n${await readFile(file, 'utf8')}` });
    const after = (await sarifOf(t, project)) as SarifLog;
    const fingerprints = (log: SarifLog) => new Set(log.runs[0]?.results.map((result) => result.partialFingerprints['auxilCopy/v1']));
    assert.deepEqual(fingerprints(after), fingerprints(before));
    const moved = after.runs[0]?.results.find((result) =>
      place(result.locations[0] as SarifLocation).startsWith('services/shop/py/inventory.py'),
    );
    assert.equal(moved?.locations[0]?.physicalLocation.region.startLine, 7, 'the alert itself points at the new lines');
  });
});
