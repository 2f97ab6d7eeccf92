/** What the page needs from its host: where its assets are and what the CSP may allow. */
export interface DashboardPage {
  /** URI of dashboard.js as the webview may load it (`webview.asWebviewUri`). */
  readonly scriptUri: string;
  readonly styleUri: string;
  /** The webview's own origin for assets (`webview.cspSource`). */
  readonly cspSource: string;
  /** Fresh for every load: only the script carrying it may run. */
  readonly nonce: string;
}

const escapeAttribute = (value: string): string => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * The dashboard's HTML shell. The CSP allows nothing but the extension's own stylesheet and the one
 * script with this load's nonce: no inline code, no remote content, no frames, no form targets.
 */
export function dashboardHtml(page: DashboardPage): string {
  const csp = [
    "default-src 'none'",
    `style-src ${page.cspSource}`,
    `img-src ${page.cspSource} data:`,
    `script-src 'nonce-${page.nonce}'`,
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(page.styleUri)}">
<title>Auxil Dashboard</title>
</head>
<body>
<main id="dashboard" aria-busy="true"><p class="notice">Loading the project summary…</p></main>
<script nonce="${escapeAttribute(page.nonce)}" src="${escapeAttribute(page.scriptUri)}"></script>
</body>
</html>`;
}
