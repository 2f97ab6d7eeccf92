import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { missingE2eParts } from '../support/code-server.js';
import { openFile, problemRows, repoRoot, startWorkbench, type Workbench } from './workbench.js';

const artifacts = join(repoRoot, 'test-results', 'e2e');

// On a developer machine without code-server the suite is skipped with the reason; in CI a missing
// part is a failure, because the end-to-end test is what proves the product works.
const missing = missingE2eParts();
if (missing && process.env.CI) throw new Error(`end-to-end prerequisites missing in CI: ${missing}`);

describe('Auxil in real VS Code (code-server in headless Chromium)', { skip: missing, timeout: 240_000 }, () => {
  let workbench: Workbench;

  before(async () => {
    await mkdir(artifacts, { recursive: true });
    workbench = await startWorkbench('duplicate-workspace', 'shop');
  });

  after(async () => {
    await workbench?.close();
  });

  test('the Problems panel shows the duplication on both files, each naming the other, and clears after an edit', async (t) => {
    const { page } = workbench;
    const started = Date.now();
    await workbench.open();
    await page.keyboard.press('Control+Shift+M');
    await page.locator(problemRows).filter({ hasText: 'also in src/pricing.ts' }).waitFor({ timeout: 90_000 });
    const firstDiagnosticMs = Date.now() - started;
    await page.locator(problemRows).filter({ hasText: 'also in src/checkout.ts' }).waitFor({ timeout: 30_000 });
    t.diagnostic(`time to first diagnostic after page load: ${firstDiagnosticMs} ms`);

    const rows = await page.locator(problemRows).allInnerTexts();
    assert.ok(rows.some((row) => /checkout\.ts/.test(row)) && rows.some((row) => /pricing\.ts/.test(row)), 'both files are listed');
    await page.locator('.statusbar-item[aria-label="Auxil: connected"]').waitFor();
    await page.screenshot({ path: join(artifacts, '1-duplicate-on-both-files.png') });

    // Rewrite the copy in checkout.ts so it no longer duplicates pricing.ts.
    await openFile(page, 'checkout.ts');
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
