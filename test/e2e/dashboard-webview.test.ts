import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ProjectSummaryRequest } from '@auxil/protocol';
import { dashboardHtml } from '@auxil/webviews/dashboard';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, missingChromium } from '../support/code-server.js';
import { fixturePath } from '../support/temp.js';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const assets = join(repoRoot, 'webviews', 'dist');
const artifacts = join(repoRoot, 'test-results', 'webviews');

const summary = ProjectSummaryRequest.result.parse(JSON.parse(await readFile(fixturePath('project-summary.json'), 'utf8')));
const missing = missingChromium();
if (missing && process.env.CI) throw new Error(`webview test prerequisites missing in CI: ${missing}`);

/**
 * Serves the dashboard page as the extension builds it (same HTML shell, same CSP, same bundle) from
 * a loopback origin that stands in for the webview's own origin. VS Code's webview host cannot run
 * outside VS Code, so `acquireVsCodeApi` is the one stand-in: it records what the page posts.
 */
async function serveDashboard(): Promise<{ server: Server; url: string }> {
  const files: Record<string, { type: string; path: string }> = {
    '/dashboard.js': { type: 'text/javascript', path: join(assets, 'dashboard.js') },
    '/dashboard-style.css': { type: 'text/css', path: join(assets, 'dashboard-style.css') },
  };
  const server = createServer((request, response) => {
    const origin = `http://${request.headers.host}`;
    const file = files[request.url ?? ''];
    if (request.url === '/') {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(
        dashboardHtml({ scriptUri: '/dashboard.js', styleUri: '/dashboard-style.css', cspSource: origin, nonce: 'n0nce-for-test' }),
      );
    } else if (file) {
      void readFile(file.path).then((body) => response.writeHead(200, { 'content-type': file.type }).end(body));
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

declare global {
  interface Window {
    posted: unknown[];
    injected?: boolean;
  }
}

describe('the dashboard webview in headless Chromium', { skip: missing, timeout: 120_000 }, () => {
  let browser: Browser;
  let page: Page;
  let served: { server: Server; url: string };

  before(async () => {
    await run(process.execPath, [join(repoRoot, 'scripts', 'bundle.js'), 'webviews'], { cwd: repoRoot });
    await mkdir(artifacts, { recursive: true });
    served = await serveDashboard();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    // A string, not a function: tsx's transform would add helper calls the page does not have.
    await page.addInitScript(
      'window.posted = []; window.acquireVsCodeApi = () => ({ postMessage: (message) => window.posted.push(message) });',
    );
    await page.goto(served.url);
    await page.waitForFunction(() => window.posted.some((message) => (message as { type?: string }).type === 'ready'));
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => served?.server.close(resolve));
  });

  test('renders the summary as numbers and charts, with file names as text, not markup', async () => {
    await page.evaluate((data) => window.postMessage({ type: 'summary', summary: data }, '*'), summary);
    await page.locator('main[aria-busy="false"]').waitFor();
    assert.equal(await page.locator('[data-metric="duplication"] .value').innerText(), '12.5%');
    assert.equal(await page.locator('[data-metric="classes"] .value').innerText(), '37');
    assert.equal(await page.locator('.donut .slice').count(), 3, 'one slice per clone type');
    assert.equal(await page.locator('.bar.size').count(), summary.bySize.length);
    assert.equal(await page.locator('.bar.hot').count(), summary.hotFiles.length);
    assert.equal(await page.locator('.line .point').count(), summary.trend.length);
    assert.equal(await page.locator('script').count(), 1, 'a file name with <script> in it stays text');
    assert.match((await page.locator('.bar.hot').nth(3).textContent()) ?? '', /<script>alert\(1\)<\/script>/);
    await page.screenshot({ path: join(artifacts, 'dashboard.png'), fullPage: true });
  });

  test('a click on a hot file asks the host to open that file', async () => {
    await page.locator('.bar.hot', { hasText: 'checkout.ts' }).click();
    const posted = await page.evaluate(() => window.posted);
    assert.deepEqual(posted.at(-1), { type: 'openFile', uri: 'file:///work/shop/src/cart/checkout.ts' });
  });

  test('a message that does not match the schema is ignored, the page keeps its content', async () => {
    await page.evaluate(() => window.postMessage({ type: 'summary', summary: { duplicationPercent: 'lots' } }, '*'));
    await page.evaluate(() => window.postMessage({ type: 'error', message: 'Backend unreachable' }, '*'));
    await page.locator('.notice.error', { hasText: 'Backend unreachable' }).waitFor();
    await page.evaluate((data) => window.postMessage({ type: 'summary', summary: data }, '*'), summary);
    await page.locator('[data-metric="duplication"]').waitFor();
    await page.evaluate(() => window.postMessage({ type: 'summary', summary: { duplicationPercent: 'lots' } }, '*'));
    assert.equal(await page.locator('[data-metric="duplication"] .value').innerText(), '12.5%');
  });

  test('the CSP blocks scripts without the nonce', async () => {
    const violation = page.evaluate(
      () =>
        new Promise<string>((resolve) =>
          document.addEventListener('securitypolicyviolation', (event) => resolve(event.violatedDirective), { once: true }),
        ),
    );
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.injected = true';
      document.body.append(script);
    });
    assert.equal(await violation, 'script-src-elem');
    assert.equal(await page.evaluate(() => window.injected), undefined);
  });
});
