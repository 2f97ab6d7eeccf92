import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startBackend, type TestBackend } from '../support/backend.js';
import {
  chromiumBinary,
  codeServerDirs,
  installExtension,
  missingE2eParts,
  startCodeServer,
  type RunningCodeServer,
} from '../support/code-server.js';
import { copyFixture, tempDir } from '../support/temp.js';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const artifacts = join(repoRoot, 'test-results', 'e2e');

// On a developer machine without code-server the suite is skipped with the reason; in CI a missing
// part is a failure, because the end-to-end test is what proves the product works.
const missing = missingE2eParts();
if (missing && process.env.CI) throw new Error(`end-to-end prerequisites missing in CI: ${missing}`);

const problemRows = '.markers-panel .monaco-list-row';

async function problemsText(page: Page): Promise<string[]> {
  return page.locator(problemRows).allInnerTexts();
}

describe('Auxil in real VS Code (code-server in headless Chromium)', { skip: missing, timeout: 240_000 }, () => {
  let temp: { path: string; remove: () => Promise<void> };
  let backend: TestBackend;
  let codeServer: RunningCodeServer;
  let browser: Browser;
  let page: Page;
  let workspace: string;

  before(async () => {
    temp = await tempDir('e2e');
    await mkdir(artifacts, { recursive: true });
    workspace = await copyFixture('duplicate-workspace', join(temp.path, 'shop'));
    backend = await startBackend(join(temp.path, 'data'));
    // The workspace points the extension at this backend; the token is found through the local
    // token file, exactly as for a developer running `npm start`.
    await mkdir(join(workspace, '.vscode'));
    await writeFile(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'auxil.serverUrl': backend.url }));

    const vsix = join(temp.path, 'auxil.vsix');
    await run('npx', ['vsce', 'package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '-o', vsix], {
      cwd: join(repoRoot, 'extension'),
      timeout: 120_000,
    });
    const dirs = await codeServerDirs(join(temp.path, 'code-server'));
    await installExtension(vsix, dirs);
    codeServer = await startCodeServer(dirs);
    browser = await chromium.launch({
      executablePath: chromiumBinary,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  });

  after(async () => {
    await browser?.close();
    await codeServer?.close();
    await backend?.close();
    await temp?.remove();
  });

  test('the Problems panel shows the duplication on both files, each naming the other, and clears after an edit', async (t) => {
    const started = Date.now();
    await page.goto(`${codeServer.url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.keyboard.press('Control+Shift+M');
    await page.locator(problemRows).filter({ hasText: 'also in src/pricing.ts' }).waitFor({ timeout: 90_000 });
    const firstDiagnosticMs = Date.now() - started;
    await page.locator(problemRows).filter({ hasText: 'also in src/checkout.ts' }).waitFor({ timeout: 30_000 });
    t.diagnostic(`time to first diagnostic after page load: ${firstDiagnosticMs} ms`);

    const rows = await problemsText(page);
    assert.ok(rows.some((row) => /checkout\.ts/.test(row)) && rows.some((row) => /pricing\.ts/.test(row)), 'both files are listed');
    await page.locator('.statusbar-item[aria-label="Auxil: connected"]').waitFor();
    await page.screenshot({ path: join(artifacts, '1-duplicate-on-both-files.png') });

    // Rewrite the copy in checkout.ts so it no longer duplicates pricing.ts.
    await page.keyboard.press('Control+P');
    await page.keyboard.insertText('checkout.ts');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'checkout.ts' }).first().waitFor();
    await page.keyboard.press('Enter');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.waitFor();
    await editor.locator('.view-lines').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('export const cartTotal = 0;\n');

    await page.waitForFunction(
      (selector) => ![...document.querySelectorAll(selector)].some((row) => row.textContent?.includes('Duplicated code')),
      problemRows,
      { timeout: 30_000 },
    );
    await page.screenshot({ path: join(artifacts, '2-duplicate-cleared.png') });
  });
});
