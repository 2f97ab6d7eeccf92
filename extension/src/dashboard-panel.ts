import type { ProjectSummaryResult } from '@auxil/protocol';
import { dashboardHtml, FromDashboard, type ToDashboard } from '@auxil/webviews/dashboard';
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { LspRequests } from './lsp-requests.js';

/**
 * The project-health dashboard: one webview panel, reused while open. The page may load only the
 * extension's own bundled assets, runs only the script with this load's nonce, and every message
 * it sends is parsed before anything acts on it.
 */
export class DashboardPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** The files the page may ask to open: those of the summary it was sent. */
  private openable = new Set<string>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly requests: LspRequests,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  show(): void {
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    const assets = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webviews');
    const panel = vscode.window.createWebviewPanel('auxil.dashboard', 'Auxil Dashboard', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [assets],
    });
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'auxil.svg');
    const webview = panel.webview;
    webview.html = dashboardHtml({
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(assets, 'dashboard.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(assets, 'dashboard-style.css')).toString(),
      cspSource: webview.cspSource,
      nonce: randomBytes(18).toString('base64url'),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((message: unknown) => this.received(message)),
      panel.onDidDispose(() => this.closed()),
    );
    this.panel = panel;
  }

  /** Sends a fresh summary if the panel is open (after the index changed). */
  async refresh(): Promise<void> {
    if (!this.panel) return;
    try {
      const summary = await this.requests.projectSummary();
      await this.post({ type: 'summary', summary });
      this.rememberOpenable(summary);
    } catch (error) {
      await this.post({
        type: 'error',
        message: `The project summary is unavailable: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }

  private received(message: unknown): void {
    const parsed = FromDashboard.safeParse(message);
    if (!parsed.success) {
      this.log.warn('Ignored a message from the dashboard webview that does not match its schema');
      return;
    }
    const request = parsed.data;
    if (request.type === 'openFile') {
      if (this.openable.has(request.uri)) void vscode.window.showTextDocument(vscode.Uri.parse(request.uri), { preview: true });
      else this.log.warn('Ignored a request from the dashboard to open a file that is not in its summary');
      return;
    }
    void this.refresh();
  }

  private rememberOpenable(summary: ProjectSummaryResult): void {
    this.openable = new Set(summary.hotFiles.map((file) => file.uri));
  }

  private async post(message: ToDashboard): Promise<void> {
    await this.panel?.webview.postMessage(message);
  }

  private closed(): void {
    this.panel = undefined;
    this.openable.clear();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
