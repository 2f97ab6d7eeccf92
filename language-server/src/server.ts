import { ServerSettings, ConfigureNotification } from '@auxil/protocol';
import { fileURLToPath } from 'node:url';
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { WorkspaceSync } from './workspace-sync.js';

// The transport (--stdio, --node-ipc or --socket) comes from the command line, as LSP clients expect.
const lsp = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let sync: WorkspaceSync | undefined;
let initialSettings: ServerSettings | undefined;

lsp.onInitialize((params) => {
  const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
  const parsed = ServerSettings.safeParse(params.initializationOptions ?? {});
  if (!parsed.success) lsp.console.error(`Auxil settings are invalid: ${parsed.error.message}`);
  if (folder?.startsWith('file:')) {
    initialSettings = parsed.success ? parsed.data : ServerSettings.parse({ serverUrl: 'http://127.0.0.1:7600', token: null });
    sync = new WorkspaceSync(lsp, documents, fileURLToPath(folder), initialSettings);
  }
  return {
    capabilities: { textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental } },
    serverInfo: { name: 'auxil-language-server', version: '0.1.0' },
  };
});

lsp.onInitialized(() => {
  if (sync && initialSettings) sync.configure(initialSettings);
  else lsp.console.warn('Auxil needs a folder opened from the local file system; nothing will be analysed');
});

lsp.onNotification(ConfigureNotification.method, (params: unknown) => {
  const parsed = ConfigureNotification.params.safeParse(params);
  if (!parsed.success) {
    lsp.console.error(`ignored invalid Auxil settings: ${parsed.error.message}`);
    return;
  }
  sync?.configure(parsed.data);
});

documents.onDidChangeContent((event) => sync?.changed(event.document));
documents.onDidClose((event) => sync?.closed(event.document));
lsp.onDidChangeWatchedFiles((event) => sync?.changedOnDisk(event.changes.map((change) => change.uri)));
lsp.onShutdown(() => sync?.dispose());

documents.listen(lsp);
lsp.listen();
