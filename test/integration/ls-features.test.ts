import assert from 'node:assert/strict';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  ServerSettings,
  SuppressionList,
  type CloneClassesResult,
  type ConventionsResult,
  type FindSimilarResult,
  type ProjectSummaryResult,
} from '@auxil/protocol';
import type { CodeAction, Command, Diagnostic } from 'vscode-languageserver-protocol';
import { startBackend, type TestBackend } from '../support/backend.js';
import { LanguageServerProcess } from '../support/language-server.js';
import { copyFixture, tempDir } from '../support/temp.js';

const PRICING = 'src/pricing.ts';
const CHECKOUT = 'src/checkout.ts';
const LOCAL = 'src/names/local.ts';
const PROJECT = 'features';
/** A module with a function named against the codebase's camelCase habit, used locally only. */
const LOCAL_SOURCE = `import { name0 } from './name0';

function compute_total(a: number): number {
  return a + name0();
}

const result = compute_total(2) + compute_total(3);
export default result;
`;

const copiesOf = (server: LanguageServerProcess, root: string, path: string): Diagnostic[] =>
  (server.diagnosticsOf(join(root, path)) ?? []).filter((d) => d.source === 'Auxil' && d.relatedInformation !== undefined);

const isAction = (action: Command | CodeAction): action is CodeAction => 'kind' in action || 'edit' in action || 'diagnostics' in action;

describe('language server features against the real backend', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let root: string;
  let backend: TestBackend;
  let server: LanguageServerProcess;
  let settings: ServerSettings;

  before(async () => {
    dir = await tempDir('ls-features');
    root = await copyFixture('duplicate-workspace', join(dir.path, 'shop'));
    const pricing = await readFile(join(root, PRICING), 'utf8');
    // Copies git ignores and the user excludes: never synced, so never a third copy.
    await writeFile(join(root, '.gitignore'), 'generated/\n');
    await mkdir(join(root, 'generated'));
    await writeFile(join(root, 'generated/pricing-copy.ts'), pricing);
    await mkdir(join(root, 'legacy'));
    await writeFile(join(root, 'legacy/pricing-old.ts'), pricing);
    // Twelve camelCase functions make camelCase the codebase's rule for function names.
    await mkdir(join(root, 'src/names'));
    for (let n = 0; n < 12; n++) {
      await writeFile(join(root, `src/names/name${n}.ts`), `export function name${n}(): number {\n  return ${n};\n}\n`);
    }
    await writeFile(join(root, 'src/names/readTotal.ts'), 'export function readTotal(): number {\n  return 1;\n}\n');
    await writeFile(join(root, 'src/names/sumAll.ts'), 'export function sumAll(): number {\n  return 2;\n}\n');
    await writeFile(join(root, LOCAL), LOCAL_SOURCE);
    backend = await startBackend(join(dir.path, 'data'));
    settings = ServerSettings.parse({
      serverUrl: backend.url,
      token: backend.token,
      project: PROJECT,
      debounceMs: 50,
      reconnectMinMs: 50,
      reconnectMaxMs: 200,
      exclude: ['legacy/'],
    });
    server = await LanguageServerProcess.start(root, settings);
    await server.until(
      'both copies shown',
      () => copiesOf(server, root, PRICING).length === 1 && copiesOf(server, root, CHECKOUT).length === 1,
    );
  });

  after(async () => {
    await server.stop();
    await backend.close();
    await dir.remove();
  });

  test('a copy is a diagnostic with its clone type code, a link to the guide and the other copy; ignored and excluded copies are not synced', () => {
    const [diagnostic] = copiesOf(server, root, PRICING);
    assert.ok(diagnostic);
    assert.equal(diagnostic.code, 'renamed-copy');
    assert.match(diagnostic.codeDescription?.href ?? '', /diagnostics\.md#renamed-copy$/);
    assert.equal(diagnostic.severity, 2, 'type 2 copies are warnings by default');
    assert.deepEqual(
      diagnostic.relatedInformation?.map((info) => fileURLToPath(info.location.uri)),
      [join(root, CHECKOUT)],
      'the only other copy is checkout.ts: generated/ and legacy/ were left out',
    );
    assert.deepEqual(diagnostic.range.start, { line: 7, character: 0 });
  });

  test('the code actions of a copy open and compare the other copy and suppress the clone class', async () => {
    const [diagnostic] = copiesOf(server, root, PRICING);
    assert.ok(diagnostic);
    const actions = ((await server.codeActions(join(root, PRICING), diagnostic.range, [diagnostic])) ?? []).filter(isAction);
    const checkoutCopy = { uri: pathToFileURL(join(root, CHECKOUT)).href, startLine: 8, endLine: 19 };
    const here = { uri: pathToFileURL(join(root, PRICING)).href, startLine: 8, endLine: 19 };
    const byCommand = new Map(actions.map((action) => [action.command?.command, action.command?.arguments]));
    assert.deepEqual(byCommand.get('auxil.openCopy'), [checkoutCopy]);
    assert.deepEqual(byCommand.get('auxil.compareCopies'), [here, checkoutCopy]);
    const suppress = byCommand.get('auxil.suppressClass') as [string] | undefined;
    assert.ok(suppress && /^[0-9a-f]+$/.test(suppress[0]), 'suppress names the clone class');
  });

  test('suppressing a class hides it for the team until it is shown again', async (t) => {
    const [diagnostic] = copiesOf(server, root, PRICING);
    const classId = (diagnostic?.data as { classId: string }).classId;
    // A teammate: another server on the same project.
    const teammate = await LanguageServerProcess.start(root, settings);
    t.after(() => teammate.stop());
    await teammate.until('teammate sees the copy', () => copiesOf(teammate, root, CHECKOUT).length === 1);

    await server.executeCommand('auxil.suppressClass', [classId]);
    await server.until(
      'copies hidden',
      () => copiesOf(server, root, PRICING).length === 0 && copiesOf(server, root, CHECKOUT).length === 0,
    );
    await teammate.until('hidden for the teammate too', () => copiesOf(teammate, root, CHECKOUT).length === 0);
    const listed = SuppressionList.parse(
      await (
        await fetch(new URL(`/v1/projects/${PROJECT}/suppressions`, backend.url), { headers: { authorization: `Bearer ${backend.token}` } })
      ).json(),
    );
    assert.deepEqual(
      listed.suppressions.map((s) => s.classId),
      [classId],
    );
    const visible = await server.request<CloneClassesResult>('auxil/cloneClasses', {});
    assert.equal(visible.classes.length, 0);
    const all = await server.request<CloneClassesResult>('auxil/cloneClasses', { includeSuppressed: true });
    assert.deepEqual(
      all.classes.map((c) => [c.id, c.suppressed]),
      [[classId, true]],
    );

    assert.deepEqual(await server.request('auxil/setSuppressed', { classId, suppressed: false }), { ok: true });
    await server.until('copies back', () => copiesOf(server, root, PRICING).length === 1 && copiesOf(server, root, CHECKOUT).length === 1);
    await teammate.until('back for the teammate', () => copiesOf(teammate, root, CHECKOUT).length === 1);
  });

  test('the custom requests answer for the tree, the dashboard, similar code and conventions', async () => {
    const classes = await server.request<CloneClassesResult>('auxil/cloneClasses', { limit: 10 });
    assert.equal(classes.total, 1);
    assert.equal(classes.nextCursor, null);
    assert.deepEqual(classes.classes[0]?.fragments.map((f) => [f.file, f.startLine, f.endLine, fileURLToPath(f.uri)]).sort(), [
      [CHECKOUT, 8, 19, join(root, CHECKOUT)],
      [PRICING, 8, 19, join(root, PRICING)],
    ]);

    const summary = await server.request<ProjectSummaryResult>('auxil/projectSummary');
    assert.equal(summary.files, 17, 'pricing, checkout, 12 name modules, readTotal, sumAll and local');
    assert.equal(summary.cloneClasses, 1);
    assert.equal(summary.duplicatedLines, 24);
    assert.deepEqual(summary.byType, { type1: 0, type2: 1, type3: 0 });
    assert.deepEqual(summary.hotFiles.map((f) => f.file).sort(), [CHECKOUT, PRICING]);
    assert.ok(summary.duplicationPercent > 0 && summary.duplicationPercent < 100);

    const similar = await server.request<FindSimilarResult>('auxil/findSimilar', {
      uri: pathToFileURL(join(root, PRICING)).href,
      range: { start: { line: 7, character: 0 }, end: { line: 18, character: 1 } },
    });
    assert.deepEqual(
      similar.matches.map((m) => [m.file, m.startLine]),
      [[CHECKOUT, 8]],
      'the copy elsewhere, not the selection itself',
    );
    assert.match(similar.matches[0]?.excerpt ?? '', /cartTotal/);

    const conventions = await server.request<ConventionsResult>('auxil/conventions');
    assert.ok(conventions.conventions.some((c) => c.id === 'naming:typescript:function' && c.expected === 'camelCase'));
    const deviation = conventions.deviations.find((d) => d.file === LOCAL);
    assert.ok(deviation, 'compute_total deviates');
    assert.equal(fileURLToPath(deviation.uri), join(root, LOCAL));

    await assert.rejects(server.request('auxil/findSimilar', { uri: 42 }), (error: { code?: number }) => error.code === -32602);
  });

  test('analyzeWorkspace starts an analysis whose progress arrives with auxil/status and whose result joins the trend', async () => {
    const { analysisId } = await server.request<{ analysisId: string }>('auxil/analyzeWorkspace');
    await server.until(
      'analysis done',
      () => server.statuses.some((s) => s.analysis?.id === analysisId && s.analysis.status === 'done'),
      60_000,
    );
    const summary = await server.request<ProjectSummaryResult>('auxil/projectSummary');
    assert.equal(summary.trend.length, 1);
    assert.equal(summary.trend[0]?.cloneClasses, 1);
  });

  test('a naming deviation in an open file offers a rename of the declaration and its uses', async () => {
    const path = join(root, LOCAL);
    await server.open(path, LOCAL_SOURCE);
    const diagnostic = await server.until('the naming diagnostic', () =>
      server.diagnosticsOf(path)?.find((d) => d.code === 'naming-convention'),
    );
    assert.equal(diagnostic.range.start.line, 2);
    const actions = ((await server.codeActions(path, diagnostic.range, [diagnostic])) ?? []).filter(isAction);
    const rename = actions.find((action) => action.title.includes('computeTotal'));
    assert.ok(rename?.edit?.documentChanges, `a rename among ${actions.map((a) => a.title).join(', ')}`);
    const [change] = rename.edit.documentChanges as { edits: { range: { start: { line: number } }; newText: string }[] }[];
    assert.deepEqual(
      change?.edits.map((edit) => [edit.range.start.line, edit.newText]),
      [
        [2, 'computeTotal'],
        [6, 'computeTotal'],
        [6, 'computeTotal'],
      ],
    );
    await server.close(path);
  });

  test('severity settings apply at once: type 2 off hides the copies, on shows them again', async () => {
    await server.configure({ ...settings, severity: { ...settings.severity, type2: 'off' } });
    await server.until('copies hidden', () => copiesOf(server, root, PRICING).length === 0);
    await server.configure({ ...settings, severity: { ...settings.severity, type2: 'error' } });
    const [shown] = await server.until(
      'copies shown as errors',
      () => copiesOf(server, root, PRICING).length === 1 && copiesOf(server, root, PRICING),
    );
    assert.equal(shown?.severity, 1);
    await server.configure(settings);
  });

  test('files added, renamed and deleted outside the editor are picked up', async () => {
    const pricing = await readFile(join(root, PRICING), 'utf8');
    const relatedOf = () =>
      copiesOf(server, root, CHECKOUT)[0]
        ?.relatedInformation?.map((info) => fileURLToPath(info.location.uri))
        .sort();
    await writeFile(join(root, 'src/third.ts'), pricing);
    await server.until('a third copy', () => relatedOf()?.length === 2 && relatedOf()?.includes(join(root, 'src/third.ts')));
    await rename(join(root, 'src/third.ts'), join(root, 'src/moved.ts'));
    await server.until('the copy moved', () => relatedOf()?.length === 2 && relatedOf()?.includes(join(root, 'src/moved.ts')));
    await rm(join(root, 'src/moved.ts'));
    await server.until('the copy gone', () => relatedOf()?.length === 1);
  });
});
