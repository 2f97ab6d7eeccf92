import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  AnalyzeWorkspaceRequest,
  CloneClassesRequest,
  ConfigureNotification,
  ConventionsRequest,
  FindSimilarRequest,
  ProjectSummaryRequest,
  ServerCommands,
  ServerSettings,
  SetSuppressedRequest,
  ClassId,
} from '@auxil/protocol';
import {
  CodeActionKind,
  ErrorCodes,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  createConnection,
  type CancellationToken,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { z } from 'zod';
import { codeActions } from './code-actions.js';
import { analyzeWorkspace, cloneClasses, findSimilar, projectConventions, projectSummary, setSuppressed } from './custom-requests.js';
import { WorkspaceSync } from './workspace-sync.js';

// The transport (--stdio, --node-ipc or --socket) comes from the command line, as LSP clients expect.
const lsp = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let sync: WorkspaceSync | undefined;
let initialSettings: ServerSettings | undefined;
let clientWatchesFiles = false;

/** The diagnostics guide shipped next to the bundle, or the repository's copy when run from the monorepo. */
function defaultDocsUrl(): string | undefined {
  // The server runs as `node <bundle>`: the bundle's folder is the script's.
  const here = dirname(process.argv[1] ?? '.');
  const guide = [join(here, 'diagnostics.md'), join(here, '..', '..', 'docs', 'diagnostics.md')].find((path) => existsSync(path));
  return guide && pathToFileURL(guide).href;
}

lsp.onInitialize((params) => {
  const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
  const parsed = ServerSettings.safeParse(params.initializationOptions ?? {});
  if (!parsed.success) lsp.console.error(`Auxil settings are invalid: ${parsed.error.message}`);
  clientWatchesFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  if (folder?.startsWith('file:')) {
    initialSettings = parsed.success ? parsed.data : ServerSettings.parse({ serverUrl: 'http://127.0.0.1:7600', token: null });
    sync = new WorkspaceSync(
      lsp,
      documents,
      fileURLToPath(folder),
      initialSettings,
      { watchesFiles: clientWatchesFiles, workDoneProgress: params.capabilities.window?.workDoneProgress === true },
      initialSettings.docsUrl ?? defaultDocsUrl(),
    );
  }
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      executeCommandProvider: { commands: [ServerCommands.suppressClass] },
    },
    serverInfo: { name: 'auxil-language-server', version: '0.1.0' },
  };
});

lsp.onInitialized(() => {
  if (!sync || !initialSettings) {
    lsp.console.warn('Auxil needs a folder opened from the local file system; nothing will be analysed');
    return;
  }
  sync.configure(initialSettings);
  if (clientWatchesFiles) {
    void lsp.client.register(
      // Every file: renames and deletes of folders and .gitignore files matter as much as source files.
      { method: 'workspace/didChangeWatchedFiles' } as never,
      { watchers: [{ globPattern: '**/*' }] } as never,
    );
  }
});

lsp.onNotification(ConfigureNotification.method, (params: unknown) => {
  const parsed = ConfigureNotification.params.safeParse(params);
  if (!parsed.success) {
    lsp.console.error(`ignored invalid Auxil settings: ${parsed.error.message}`);
    return;
  }
  sync?.configure(parsed.data);
});

/** A request's params, validated: bad input is an InvalidParams error naming the problem. */
function paramsOf<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value ?? undefined);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ResponseError(
    ErrorCodes.InvalidParams,
    `invalid params${issue?.path.length ? ` at ${issue.path.join('.')}` : ''}: ${issue?.message}`,
  );
}

function workspace(): WorkspaceSync {
  if (!sync) throw new ResponseError(ErrorCodes.InvalidRequest, 'Auxil needs a folder opened from the local file system');
  return sync;
}

/** The client's cancellation as an AbortSignal, so a cancelled request also cancels its HTTP calls. */
function abortOn(token: CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}

lsp.onRequest(CloneClassesRequest.method, (params: unknown, token: CancellationToken) =>
  cloneClasses(workspace(), paramsOf(CloneClassesRequest.params, params ?? {}), abortOn(token)),
);
lsp.onRequest(ProjectSummaryRequest.method, (params: unknown, token: CancellationToken) => {
  paramsOf(ProjectSummaryRequest.params, params);
  return projectSummary(workspace(), abortOn(token));
});
lsp.onRequest(FindSimilarRequest.method, (params: unknown, token: CancellationToken) =>
  findSimilar(workspace(), paramsOf(FindSimilarRequest.params, params), abortOn(token)),
);
lsp.onRequest(ConventionsRequest.method, (params: unknown, token: CancellationToken) => {
  paramsOf(ConventionsRequest.params, params);
  return projectConventions(workspace(), abortOn(token));
});
lsp.onRequest(AnalyzeWorkspaceRequest.method, (params: unknown, token: CancellationToken) => {
  paramsOf(AnalyzeWorkspaceRequest.params, params);
  return analyzeWorkspace(workspace(), abortOn(token));
});
lsp.onRequest(SetSuppressedRequest.method, (params: unknown, token: CancellationToken) => {
  const { classId, suppressed } = paramsOf(SetSuppressedRequest.params, params);
  return setSuppressed(workspace(), classId, suppressed, abortOn(token));
});

lsp.onExecuteCommand(async (params) => {
  if (params.command !== ServerCommands.suppressClass) {
    throw new ResponseError(ErrorCodes.InvalidParams, `unknown command ${params.command}`);
  }
  const classId = paramsOf(ClassId, params.arguments?.[0]);
  await setSuppressed(workspace(), classId, true);
  return null;
});

lsp.onCodeAction((params) => {
  const document = documents.get(params.textDocument.uri);
  const file = sync?.pathOf(params.textDocument.uri);
  if (!sync || file === undefined) return [];
  const current = sync;
  return codeActions(params, { file, document, uriOf: (path) => current.uriOf(path) });
});

documents.onDidOpen((event) => sync?.opened(event.document));
documents.onDidChangeContent((event) => sync?.changed(event.document));
documents.onDidClose((event) => sync?.closed(event.document));
lsp.onDidChangeWatchedFiles((event) => sync?.changedOnDisk(event.changes.map((change) => change.uri)));
lsp.onShutdown(() => sync?.dispose());

documents.listen(lsp);
lsp.listen();
