import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { missingE2eParts } from '../support/code-server.js';
import { openFile, problemRows, repoRoot, runCommand, showAuxilSideBar, startWorkbench, viewRows, type Workbench } from './workbench.js';

const artifacts = join(repoRoot, 'test-results', 'e2e', 'flows');

const missing = missingE2eParts();
if (missing && process.env.CI) throw new Error(`end-to-end prerequisites missing in CI: ${missing}`);

/**
 * The fixture's known clone classes (as `auxil analyze` reports them): orderTotal/cartTotal/invoiceTotal
 * renamed three times (Type 2, lines 8-19 of each file) and formatRow copied verbatim (Type 1).
 */
const threeCopies = '3 copies';
const twoCopies = '2 copies';

/** Selects whole lines of the active editor with the keyboard, as a user would. */
async function selectLines(page: Page, first: number, last: number): Promise<void> {
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+G');
  await page.keyboard.insertText(String(first));
  await page.keyboard.press('Enter');
  await page.keyboard.press('Home');
  for (let line = first; line <= last; line++) await page.keyboard.press('Shift+ArrowDown');
}

/** The frame (webviews are nested iframes) that shows the element, once it does. */
async function frameShowing(page: Page, selector: string, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (
        await frame
          .locator(selector)
          .count()
          .catch(() => 0)
      )
        return frame;
    }
    // Check again when a frame loads, or after a second (the page may render without navigating).
    await page.waitForEvent('framenavigated', { timeout: 1000 }).catch(() => undefined);
  }
  throw new Error(`no frame showed ${selector} within ${timeoutMs} ms`);
}

describe('the Auxil views, commands and code actions in real VS Code', { skip: missing, timeout: 480_000 }, () => {
  let workbench: Workbench;
  let page: Page;
  let failures = 0;

  /** A test that leaves a screenshot of the workbench behind when it fails, to see why. */
  const step = (name: string, body: (t: TestContext) => Promise<void>): void =>
    void test(name, async (t) => {
      try {
        await body(t);
      } catch (error) {
        await page?.screenshot({ path: join(artifacts, `failed-${++failures}.png`) }).catch(() => undefined);
        throw error;
      }
    });

  before(async () => {
    await mkdir(artifacts, { recursive: true });
    workbench = await startWorkbench('clones-workspace', 'store');
    page = workbench.page;
  });

  after(async () => {
    await workbench?.close();
  });

  step('opening the workspace shows every copy in the Problems panel, naming the other copies', async (t) => {
    const started = Date.now();
    await workbench.open();
    await page.keyboard.press('Control+Shift+M');
    const checkout = page.locator(problemRows).filter({ hasText: 'also in src/billing/invoice.ts:8-19, src/cart/pricing.ts:8-19' });
    await checkout.first().waitFor({ timeout: 90_000 });
    t.diagnostic(`time from opening the workspace to first diagnostics: ${Date.now() - started} ms`);
    await page.locator(problemRows).filter({ hasText: 'also in src/reports/format.ts:8-14' }).first().waitFor({ timeout: 30_000 });
    await page.locator(problemRows).filter({ hasText: 'also in src/cart/checkout.ts:8-19, src/cart/pricing.ts:8-19' }).first().waitFor();
    await page.screenshot({ path: join(artifacts, '1-problems.png') });
  });

  step('the Clones view lists both clone classes with their copies', async () => {
    await showAuxilSideBar(page);
    const rows = viewRows(page, 'Clones');
    await rows.filter({ hasText: threeCopies }).waitFor({ timeout: 30_000 });
    await rows.filter({ hasText: twoCopies }).waitFor();
    await rows.filter({ hasText: threeCopies }).click();
    await rows.filter({ hasText: 'src/billing/invoice.ts' }).waitFor();
    const texts = await rows.allInnerTexts();
    assert.ok(
      ['src/billing/invoice.ts', 'src/cart/checkout.ts', 'src/cart/pricing.ts'].every((file) => texts.some((text) => text.includes(file))),
      `the expanded class lists its three copies: ${texts.join(' / ')}`,
    );
    await page.screenshot({ path: join(artifacts, '2-clones-view.png') });
  });

  step("a clone class's Compare action opens the diff editor between two copies", async () => {
    const row = viewRows(page, 'Clones').filter({ hasText: threeCopies });
    await row.hover();
    await row.locator('.action-label[aria-label="Compare with Another Copy"]').click();
    const diff = page.locator('.monaco-diff-editor').first();
    await diff.waitFor({ timeout: 30_000 });
    await page.locator('.tab.active', { hasText: '↔' }).waitFor();
    // Both sides show their copy: the diff is between two files of the class, not an empty editor.
    await diff.locator('.editor.original .view-line', { hasText: 'function' }).first().waitFor();
    await diff.locator('.editor.modified .view-line', { hasText: 'function' }).first().waitFor();
    await page.screenshot({ path: join(artifacts, '3-compare.png') });
  });

  step('Find Similar Code on a selection lists the known copies in the Similar Code view', async () => {
    await openFile(page, 'pricing.ts');
    await selectLines(page, 8, 19);
    await runCommand(page, 'Auxil: Find Similar Code');
    const rows = viewRows(page, 'Similar Code');
    await rows.filter({ hasText: 'src/cart/checkout.ts:8-19' }).waitFor({ timeout: 30_000 });
    await rows.filter({ hasText: 'src/billing/invoice.ts:8-19' }).waitFor();
    assert.equal(await rows.filter({ hasText: 'src/cart/pricing.ts' }).count(), 0, "the selection's own place is not listed");
    await page.screenshot({ path: join(artifacts, '4-find-similar.png') });
  });

  step("a diagnostic's code action opens another copy with its lines selected", async () => {
    await runCommand(page, 'View: Close All Editors');
    await openFile(page, 'checkout.ts');
    await selectLines(page, 10, 10);
    const actions = page.locator('.action-widget .monaco-list-row');
    const openPricing = actions.filter({ hasText: 'Auxil: Open the copy in src/cart/pricing.ts' });
    // Right after opening, the language server may not have the document yet: ask again until it answers.
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('Control+.');
      const shown = await openPricing.waitFor({ timeout: 3000 }).then(
        () => true,
        () => false,
      );
      if (shown) break;
      if (attempt === 10) throw new Error('the Auxil code actions did not appear');
      await page.keyboard.press('Escape');
    }
    // Chosen with the keyboard, as the widget's rows move under the pointer while it settles.
    const titles = await actions.allInnerTexts();
    const wanted = titles.findIndex((title) => title.includes('Auxil: Open the copy in src/cart/pricing.ts'));
    const focused = titles.findIndex((title) => title.includes('Auxil:'));
    for (let step = focused; step < wanted; step++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.locator('.tab.active[aria-label*="pricing.ts"]').waitFor();
    await page
      .locator('.statusbar-item', { hasText: /Ln 8, Col 1 \(\d+ selected\)|Ln 19/ })
      .first()
      .waitFor();
    await page.screenshot({ path: join(artifacts, '4b-code-action.png') });
  });

  step("the dashboard shows the project's duplication", async () => {
    await runCommand(page, 'Auxil: Show Dashboard');
    const frame = await frameShowing(page, '[data-metric="duplication"]');
    assert.match(await frame.locator('[data-metric="duplication"] .value').innerText(), /^\d+(\.\d)?%$/);
    assert.equal(await frame.locator('[data-metric="classes"] .value').innerText(), '2');
    await page.screenshot({ path: join(artifacts, '5-dashboard.png') });
    await runCommand(page, 'View: Close All Editors');
  });

  step('suppressing a clone class hides it for the project, also after a reload', async () => {
    await showAuxilSideBar(page);
    const rows = viewRows(page, 'Clones');
    const row = rows.filter({ hasText: twoCopies });
    await row.hover();
    await row.locator('.action-label[aria-label="Suppress Clone Class"]').click();
    await rows.filter({ hasText: 'Suppressed (1)' }).waitFor({ timeout: 30_000 });

    await workbench.open();
    await showAuxilSideBar(page);
    await rows.filter({ hasText: threeCopies }).waitFor({ timeout: 90_000 });
    await rows.filter({ hasText: 'Suppressed (1)' }).waitFor();
    assert.equal(await rows.filter({ hasText: twoCopies }).count(), 0, 'the suppressed class is not among the active ones');
    await page.keyboard.press('Control+Shift+M');
    await page.locator(problemRows).filter({ hasText: 'also in src/cart/checkout.ts' }).first().waitFor();
    assert.equal(
      await page.locator(problemRows).filter({ hasText: 'also in src/reports/format.ts' }).count(),
      0,
      'its diagnostics are gone',
    );
    await page.screenshot({ path: join(artifacts, '6-suppressed.png') });
  });

  step('editing a copy updates the Clones view within seconds', async (t) => {
    await openFile(page, 'invoice.ts');
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+A');
    const edited = Date.now();
    await page.keyboard.insertText('export const invoiceTotal = (): number => 0;\n');
    await showAuxilSideBar(page);
    await viewRows(page, 'Clones').filter({ hasText: twoCopies }).waitFor({ timeout: 15_000 });
    const updatedMs = Date.now() - edited;
    t.diagnostic(`time from the edit to the updated Clones view: ${updatedMs} ms`);
    assert.equal(await viewRows(page, 'Clones').filter({ hasText: threeCopies }).count(), 0);
    await page.screenshot({ path: join(artifacts, '7-edited.png') });
  });

  step('the status bar follows sign-in: a rejected token shows "sign in", its menu signs in with a valid one', async () => {
    const status = (label: string) => page.locator(`.statusbar-item[aria-label="${label}"]`);
    const enterToken = async (token: string) => {
      await page.locator('.quick-input-widget input[type="password"]').waitFor();
      await page.keyboard.insertText(token);
      await page.keyboard.press('Enter');
    };
    await runCommand(page, 'Auxil: Sign In');
    await enterToken('auxil_not-a-real-token');
    await status('Auxil: signed out').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(artifacts, '8-signed-out.png') });

    await status('Auxil: signed out').click();
    await page.locator('.quick-input-list .monaco-list-row').first().filter({ hasText: 'Sign In' }).waitFor();
    assert.equal(
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Show Dashboard' }).count(),
      0,
      'no dashboard while signed out',
    );
    await page.keyboard.press('Enter');
    await enterToken(workbench.backend.token);
    await status('Auxil: connected').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(artifacts, '9-signed-in.png') });
  });

  step('Analyze Workspace starts an analysis of the project on the backend', async () => {
    await runCommand(page, 'Auxil: Analyze Workspace');
    await runCommand(page, 'Auxil: Show Logs');
    // \s, not a space: the editor renders spaces as no-break spaces.
    await page
      .locator('.panel .view-line', { hasText: /analysis\s\S+\sstarted/ })
      .first()
      .waitFor({ timeout: 30_000 });
    await page.locator('.statusbar-item[aria-label="Auxil: connected"]').waitFor({ timeout: 60_000 });
  });
});
