import { ANALYSED_EXTENSIONS, ConfigureNotification, StatusNotification, type StatusParams } from '@auxil/protocol';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { affectsAuxil, serverSettings } from './config.js';
import type { CommandId } from './settings.js';
import { StatusBar } from './status-bar.js';
import { TokenStore } from './token-store.js';

const filePattern = `**/*.{${ANALYSED_EXTENSIONS.join(',')}}`;

/**
 * Everything the extension owns while active: the language client, the status bar, the token store
 * and every disposable, released together on deactivation.
 */
class AuxilContext implements vscode.Disposable {
  private readonly output = vscode.window.createOutputChannel('Auxil', { log: true });
  private readonly statusBar = new StatusBar();
  private readonly tokens: TokenStore;
  private client: LanguageClient | undefined;

  constructor(private readonly extension: vscode.ExtensionContext) {
    this.tokens = new TokenStore(extension.secrets);
  }

  /** One table of commands: each id appears in package.json and nowhere else as a string. */
  private readonly commands: Record<CommandId, () => Promise<void>> = {
    'auxil.setToken': () => this.setToken(),
    'auxil.signOut': () => this.signOut(),
    'auxil.restart': async () => {
      await this.client?.restart();
    },
    'auxil.showLogs': () => {
      this.output.show(true);
      return Promise.resolve();
    },
  };

  async start(): Promise<void> {
    for (const [id, run] of Object.entries(this.commands)) {
      this.extension.subscriptions.push(vscode.commands.registerCommand(id, run));
    }
    this.extension.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsAuxil(event)) void this.pushSettings();
      }),
    );
    await this.startClient();
  }

  private async currentSettings() {
    const url = serverSettings(null).serverUrl;
    return serverSettings(await this.tokens.get(url));
  }

  private async startClient(): Promise<void> {
    const module = this.extension.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ scheme: 'file', pattern: filePattern }],
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher(filePattern) },
      initializationOptions: await this.currentSettings(),
      outputChannel: this.output,
    };
    const client = new LanguageClient('auxil', 'Auxil', serverOptions, clientOptions);
    client.onNotification(StatusNotification.method, (params: StatusParams) => this.statusBar.show(params));
    this.client = client;
    await client.start();
  }

  /** Tells the running language server about new settings or a new token. */
  private async pushSettings(): Promise<void> {
    await this.client?.sendNotification(ConfigureNotification.method, await this.currentSettings());
  }

  private async setToken(): Promise<void> {
    const { serverUrl } = serverSettings(null);
    const token = await vscode.window.showInputBox({
      title: 'Auxil API token',
      prompt: `Token for ${serverUrl} (create one with "auxil admin token")`,
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim().startsWith('auxil_') ? undefined : 'An Auxil token starts with "auxil_"'),
    });
    if (token === undefined) return;
    await this.tokens.set(serverUrl, token.trim());
    await this.pushSettings();
  }

  private async signOut(): Promise<void> {
    await this.tokens.clear(serverSettings(null).serverUrl);
    await this.pushSettings();
  }

  async dispose(): Promise<void> {
    await this.client?.stop();
    this.statusBar.dispose();
    this.output.dispose();
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
