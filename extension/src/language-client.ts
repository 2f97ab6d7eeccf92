import { ANALYSED_EXTENSIONS, type ServerSettings } from '@auxil/protocol';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

const filePattern = `**/*.{${ANALYSED_EXTENSIONS.join(',')}}`;

/**
 * The client for the language server bundled in the extension (dist/server.js), so the .vsix needs
 * nothing from the monorepo. The server watches the analysed files through the client, which also
 * sees changes made outside the editor (git checkout, a formatter run from the terminal).
 */
export function createLanguageClient(
  extension: vscode.ExtensionContext,
  settings: ServerSettings,
  output: vscode.LogOutputChannel,
): LanguageClient {
  const module = extension.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const watcher = vscode.workspace.createFileSystemWatcher(filePattern);
  extension.subscriptions.push(watcher);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', pattern: filePattern }],
    synchronize: { fileEvents: watcher },
    initializationOptions: settings,
    outputChannel: output,
  };
  return new LanguageClient('auxil', 'Auxil', serverOptions, clientOptions);
}
