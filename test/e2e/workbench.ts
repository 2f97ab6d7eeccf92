import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { startBackend, type TestBackend } from '../support/backend.js';
import { codeServerDirs, installExtension, launchChromium, startCodeServer, type RunningCodeServer } from '../support/code-server.js';
import { copyFixture, tempDir } from '../support/temp.js';

const run = promisify(execFile);
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Real VS Code (code-server) with the packaged extension installed, a real backend, and a browser page. */
export interface Workbench {
  readonly backend: TestBackend;
  readonly codeServer: RunningCodeServer;
  readonly browser: Browser;
  readonly page: Page;
  /** The workspace folder: a private copy of the fixture. */
  readonly workspace: string;
  /** Opens the workspace in the page (again, for a reload). */
  open(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Packages the extension as a .vsix exactly as `npm run package` does (from the built dist/), installs
 * it into a private code-server, and points the workspace at a fresh backend. The token is found
 * through the backend's local token file, as for a developer running `npm start`.
 */
export async function startWorkbench(fixture: string, folderName: string): Promise<Workbench> {
  const temp = await tempDir('e2e');
  const parts: Started = {};
  try {
    const workspace = await copyFixture(fixture, join(temp.path, folderName));
    const backend = (parts.backend = await startBackend(join(temp.path, 'data')));
    await mkdir(join(workspace, '.vscode'));
    await writeFile(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'auxil.serverUrl': backend.url }));
    const vsix = join(temp.path, 'auxil.vsix');
    await run('npx', ['vsce', 'package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '-o', vsix], {
      cwd: join(repoRoot, 'extension'),
      timeout: 120_000,
    });
    const dirs = await codeServerDirs(join(temp.path, 'code-server'));
    await installExtension(vsix, dirs);
    const codeServer = (parts.codeServer = await startCodeServer(dirs));
    const browser = (parts.browser = await launchChromium());
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const open = async () => {
      await page.goto(`${codeServer.url}/?folder=${encodeURIComponent(workspace)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    };
    return { backend, codeServer, browser, page, workspace, open, close: () => closeAll(parts, temp.remove) };
  } catch (error) {
    await closeAll(parts, temp.remove);
    throw error;
  }
}

/** What has been started so far, so a failed start still stops it. */
interface Started {
  backend?: TestBackend;
  codeServer?: RunningCodeServer;
  browser?: Browser;
}

async function closeAll(parts: Started, removeTemp: () => Promise<void>): Promise<void> {
  await parts.browser?.close();
  await parts.codeServer?.close();
  await parts.backend?.close();
  await removeTemp();
}

export const problemRows = '.markers-panel .monaco-list-row';

/** Runs a command from the command palette by its title, as a user would. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** Opens a workspace file with Quick Open. */
export async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  await page.keyboard.insertText(name);
  // A click on the matching row, not Enter: the list may still show recent files above it.
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().click();
  await page.locator(`.tab.active[aria-label*="${name}"]`).waitFor();
}

/** Opens the Auxil side bar by its activity-bar icon, once the extension is active. */
export async function showAuxilSideBar(page: Page): Promise<void> {
  await page.locator('.statusbar-item[aria-label^="Auxil"]').waitFor({ timeout: 60_000 });
  const icon = page.locator('.activitybar .action-item:has(.action-label[aria-label^="Auxil"])');
  // A click on the icon of the open side bar would close it.
  if (!(await icon.evaluate((item) => item.classList.contains('checked')))) await icon.locator('.action-label').click();
  await page.locator('.pane-header[aria-label^="Clones"]').waitFor();
}

/** The rows of a side-bar view, found by the view's title. */
export function viewRows(page: Page, viewTitle: string) {
  return page.locator(`.pane:has(.pane-header[aria-label^="${viewTitle}"]) .monaco-list-row`);
}
