import { ConfigureNotification, IndexChangedNotification, StatusNotification, type StatusParams } from '@auxil/protocol';
import { posix } from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ClonesView, type CloneRow } from './clones-view.js';
import { contextKeys, type CommandId } from './commands.js';
import { affectsAuxil, serverSettings } from './config.js';
import { viewIds } from './contributions.js';
import { ConventionsView } from './conventions-view.js';
import { compareCopies, openCopy, parseCopy } from './copies.js';
import { DashboardPanel } from './dashboard-panel.js';
import { createLanguageClient } from './language-client.js';
import { LspRequests } from './lsp-requests.js';
import { SimilarView } from './similar-view.js';
import { StatusBar } from './status-bar.js';
import { showStatusMenu } from './status-menu.js';
import { promptForServerUrl, promptForToken } from './sign-in.js';
import { TokenStore } from './token-store.js';

/** Bursts of index changes (a sync, a git checkout) refresh the views once. */
const REFRESH_DELAY_MS = 150;

/**
 * Everything the extension owns while active: the language client, the status bar, the views, the
 * dashboard and every disposable, released together on deactivation.
 */
class AuxilContext implements vscode.Disposable {
  private readonly output = vscode.window.createOutputChannel('Auxil', { log: true });
  private readonly statusBar = new StatusBar('auxil.showMenu');
  private readonly tokens: TokenStore;
  private readonly requests = new LspRequests(() => this.client);
  private readonly clones = new ClonesView(this.requests);
  private readonly conventions = new ConventionsView(this.requests);
  private readonly similar = new SimilarView();
  private readonly dashboard: DashboardPanel;
  private client: LanguageClient | undefined;
  private status: StatusParams = { state: 'connecting', detail: 'starting', serverUrl: '', project: '' };
  private hasStoredToken = false;
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(private readonly extension: vscode.ExtensionContext) {
    this.tokens = new TokenStore(extension.secrets);
    this.dashboard = new DashboardPanel(extension.extensionUri, this.requests, this.output);
  }

  /** One table of commands: every id declared in commands.ts has its handler here, and only here. */
  private readonly commands: Record<CommandId, (...args: unknown[]) => Promise<void>> = {
    'auxil.signIn': () => this.signIn(),
    'auxil.signOut': () => this.signOut(),
    'auxil.connect': () => this.connect(),
    'auxil.analyzeWorkspace': () => this.analyzeWorkspace(),
    'auxil.findSimilar': () => this.findSimilar(),
    'auxil.showDashboard': async () => {
      this.dashboard.show();
      await this.dashboard.refresh();
    },
    'auxil.openSettings': async () => {
      await vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${this.extension.extension.id}`);
    },
    'auxil.showLogs': () => {
      this.output.show(true);
      return Promise.resolve();
    },
    'auxil.showMenu': () => showStatusMenu(this.status.state, this.status.detail, this.hasStoredToken),
    'auxil.restart': async () => {
      await this.client?.restart();
    },
    'auxil.refreshViews': () => {
      this.refreshViews();
      return Promise.resolve();
    },
    'auxil.openCopy': (copy) => openCopy(parseCopy(copy)),
    'auxil.compareCopies': (left, right) => compareCopies(parseCopy(left), parseCopy(right)),
    'auxil.compareInClass': (row) => this.compareInClass(row as CloneRow),
    'auxil.suppressCloneClass': (row) => this.setSuppressed(row as CloneRow, true),
    'auxil.restoreCloneClass': (row) => this.setSuppressed(row as CloneRow, false),
  };

  async start(): Promise<void> {
    const subscriptions = this.extension.subscriptions;
    for (const [id, run] of Object.entries(this.commands)) {
      subscriptions.push(vscode.commands.registerCommand(id, (...args: unknown[]) => this.run(id, () => run(...args))));
    }
    const clonesView = vscode.window.createTreeView(viewIds.clones, { treeDataProvider: this.clones, showCollapseAll: true });
    const conventionsView = vscode.window.createTreeView(viewIds.conventions, { treeDataProvider: this.conventions });
    const similarView = vscode.window.createTreeView(viewIds.similar, { treeDataProvider: this.similar });
    this.clones.view = clonesView;
    this.conventions.view = conventionsView;
    this.similar.view = similarView;
    subscriptions.push(clonesView, conventionsView, similarView, this.clones, this.conventions, this.similar, this.dashboard);
    subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsAuxil(event)) void this.pushSettings();
      }),
    );
    await this.setStatus(this.status);
    await this.updateTokenContext();
    await this.startClient();
  }

  /** Runs a command, turning a failure into a message the user sees instead of a silent rejection. */
  private async run(id: string, command: () => Promise<void>): Promise<void> {
    try {
      await command();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.output.error(`${id} failed: ${message}`);
      void vscode.window.showErrorMessage(message.startsWith('Auxil') ? message : `Auxil: ${message}`);
    }
  }

  private async currentSettings() {
    const url = serverSettings(null).serverUrl;
    return serverSettings(await this.tokens.get(url));
  }

  private async startClient(): Promise<void> {
    const client = createLanguageClient(this.extension, await this.currentSettings(), this.output);
    client.onNotification(StatusNotification.method, (params: unknown) => {
      const parsed = StatusNotification.params.safeParse(params);
      if (parsed.success) void this.setStatus(parsed.data);
    });
    client.onNotification(IndexChangedNotification.method, () => this.scheduleRefresh());
    this.client = client;
    await client.start();
  }

  private async setStatus(status: StatusParams): Promise<void> {
    const wasOnline = this.online;
    this.status = status;
    this.statusBar.show(status);
    await vscode.commands.executeCommand('setContext', contextKeys.connection, status.state);
    if (!wasOnline && this.online) this.scheduleRefresh();
  }

  private get online(): boolean {
    return this.status.state === 'connected' || this.status.state === 'syncing';
  }

  private scheduleRefresh(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.refreshViews(), REFRESH_DELAY_MS);
  }

  private refreshViews(): void {
    this.clones.refresh();
    this.conventions.refresh();
    void this.dashboard.refresh();
  }

  /** Tells the running language server about new settings or a new token. */
  private async pushSettings(): Promise<void> {
    await this.updateTokenContext();
    await this.client?.sendNotification(ConfigureNotification.method, await this.currentSettings());
  }

  private async updateTokenContext(): Promise<void> {
    this.hasStoredToken = (await this.tokens.get(serverSettings(null).serverUrl)) !== null;
    await vscode.commands.executeCommand('setContext', contextKeys.hasStoredToken, this.hasStoredToken);
  }

  private async signIn(): Promise<void> {
    const { serverUrl } = serverSettings(null);
    const token = await promptForToken(serverUrl);
    if (token === undefined) return;
    await this.tokens.set(serverUrl, token);
    await this.pushSettings();
  }

  private async signOut(): Promise<void> {
    await this.tokens.clear(serverSettings(null).serverUrl);
    await this.pushSettings();
  }

  /** Sets `auxil.serverUrl` (the configuration change reconnects), then offers to sign in there. */
  private async connect(): Promise<void> {
    const url = await promptForServerUrl(serverSettings(null).serverUrl);
    if (url === undefined) return;
    const configuration = vscode.workspace.getConfiguration('auxil');
    const inWorkspace = configuration.inspect('serverUrl')?.workspaceValue !== undefined;
    await configuration.update('serverUrl', url, inWorkspace ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global);
    if ((await this.tokens.get(url)) === null && !isLoopback(url)) await this.signIn();
  }

  private async analyzeWorkspace(): Promise<void> {
    const { analysisId } = await this.requests.analyzeWorkspace();
    this.output.info(`analysis ${analysisId} started`);
  }

  private async findSimilar(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.selection.isEmpty) {
      void vscode.window.showInformationMessage('Auxil: select the code to look for first, then run Find Similar Code.');
      return;
    }
    const { document, selection } = editor;
    // A selection that ends at the start of a line does not include that line.
    const lastLine =
      selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line : selection.end.line + 1;
    const query = `${posix.basename(document.uri.path)}:${selection.start.line + 1}-${lastLine}`;
    await vscode.commands.executeCommand(`${viewIds.similar}.focus`);
    const { matches } = await vscode.window.withProgress({ location: { viewId: viewIds.similar } }, (_progress, token) =>
      this.requests.findSimilar(
        {
          uri: document.uri.toString(),
          range: {
            start: { line: selection.start.line, character: selection.start.character },
            end: { line: selection.end.line, character: selection.end.character },
          },
        },
        token,
      ),
    );
    this.similar.show(matches, query);
  }

  private async compareInClass(row: CloneRow): Promise<void> {
    if (row.kind === 'suppressed') return;
    const fragments = row.item.fragments;
    if (row.kind === 'class') {
      const [left, right] = fragments;
      if (left && right) await compareCopies(left, right);
      return;
    }
    const others = fragments.filter((copy) => copy !== row.copy);
    const other =
      others.length === 1
        ? others[0]
        : (
            await vscode.window.showQuickPick(
              others.map((copy) => ({ label: `${copy.file}:${copy.startLine}-${copy.endLine}`, copy })),
              {
                placeHolder: 'Compare with which copy?',
              },
            )
          )?.copy;
    if (other) await compareCopies(row.copy, other);
  }

  private async setSuppressed(row: CloneRow, suppressed: boolean): Promise<void> {
    if (row.kind !== 'class') return;
    await this.requests.setSuppressed(row.item.id, suppressed);
    this.refreshViews();
  }

  async dispose(): Promise<void> {
    clearTimeout(this.refreshTimer);
    await this.client?.stop();
    this.statusBar.dispose();
    this.output.dispose();
  }
}

function isLoopback(url: string): boolean {
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}

let active: AuxilContext | undefined;

export async function activate(extension: vscode.ExtensionContext): Promise<void> {
  active = new AuxilContext(extension);
  await active.start();
}

export async function deactivate(): Promise<void> {
  await active?.dispose();
  active = undefined;
}
