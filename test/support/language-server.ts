import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { StatusNotification, type ServerSettings, type StatusParams } from '@auxil/protocol';
import {
  CodeActionRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  ExecuteCommandRequest,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type CodeAction,
  type Command,
  type Diagnostic,
  type ProtocolConnection,
  type Range,
} from 'vscode-languageserver-protocol/node';

const serverBundle = fileURLToPath(new URL('../../language-server/dist/server.cjs', import.meta.url));

/**
 * The built language server in its own process, driven over stdio by a real LSP client
 * connection. Every notification it sends is recorded, and `until` waits for a condition over
 * that record, re-checked each time a notification arrives (no polling, no sleeps).
 */
export class LanguageServerProcess {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly statuses: StatusParams[] = [];
  /** Every `auxil/indexChanged` revision announced, in order. */
  readonly indexChanges: number[] = [];
  /** Every message the server logged (window/logMessage), in order. */
  readonly logs: string[] = [];
  /** Every progress notification (`$/progress`) the server sent, in order. */
  readonly progress: unknown[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly versions = new Map<string, number>();
  private stderr = '';

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly connection: ProtocolConnection,
    readonly root: string,
  ) {
    child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.diagnostics.set(fileURLToPath(params.uri), params.diagnostics);
      this.notify();
    });
    connection.onNotification(StatusNotification.method, (params: StatusParams) => {
      this.statuses.push(params);
      this.notify();
    });
    connection.onNotification('auxil/indexChanged', (params: { revision: number }) => {
      this.indexChanges.push(params.revision);
      this.notify();
    });
    connection.onNotification('$/progress', (params: unknown) => {
      this.progress.push(params);
      this.notify();
    });
    connection.onNotification('window/logMessage', (params: { message: string }) => {
      this.logs.push(params.message);
      this.notify();
    });
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onRequest('client/registerCapability', () => null);
  }

  static async start(
    root: string,
    settings: Partial<ServerSettings> & { serverUrl: string },
    capabilities: ClientCapabilities = {},
  ): Promise<LanguageServerProcess> {
    const child = spawn(process.execPath, [serverBundle, '--stdio'], { stdio: 'pipe' });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    connection.listen();
    const server = new LanguageServerProcess(child, connection, root);
    const uri = pathToFileURL(root).href;
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: uri,
      workspaceFolders: [{ uri, name: 'workspace' }],
      capabilities,
      initializationOptions: { debounceMs: 50, reconnectMinMs: 50, reconnectMaxMs: 200, token: null, ...settings },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return server;
  }

  /** The latest connection state the server announced. */
  get state(): StatusParams['state'] | undefined {
    return this.statuses.at(-1)?.state;
  }

  /** Diagnostics last published for a file (absolute path), or undefined if none were. */
  diagnosticsOf(path: string): Diagnostic[] | undefined {
    return this.diagnostics.get(path);
  }

  /** Waits until `check` returns something other than undefined/false, re-checking on every notification. */
  until<T>(what: string, check: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const attempt = (): boolean => {
        const value = check();
        if (value === undefined || value === false) return false;
        this.waiters.delete(attempt);
        clearTimeout(timer);
        resolve(value);
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters.delete(attempt);
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${what}; states seen: ${this.statuses.map((s) => s.state).join(' → ')}\n${this.stderr}`,
          ),
        );
      }, timeoutMs);
      if (!attempt()) this.waiters.add(attempt);
    });
  }

  async open(path: string, text: string): Promise<void> {
    this.versions.set(path, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: pathToFileURL(path).href, languageId: 'typescript', version: 1, text },
    });
  }

  /** Replaces an open document's whole text, as an editor's edit would. */
  async change(path: string, text: string): Promise<void> {
    const version = (this.versions.get(path) ?? 1) + 1;
    this.versions.set(path, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: pathToFileURL(path).href, version },
      contentChanges: [{ text }],
    });
  }

  async close(path: string): Promise<void> {
    this.versions.delete(path);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: pathToFileURL(path).href } });
  }

  /** A request to the server (a custom `auxil/…` one, say), answered or rejected as the server decides. */
  request<R>(method: string, params?: unknown): Promise<R> {
    return this.connection.sendRequest<R>(method, params);
  }

  /** The code actions the server offers for these diagnostics of a file (absolute path). */
  codeActions(path: string, range: Range, diagnostics: Diagnostic[]): Promise<(Command | CodeAction)[] | null> {
    return this.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: pathToFileURL(path).href },
      range,
      context: { diagnostics },
    });
  }

  executeCommand(command: string, args: unknown[]): Promise<unknown> {
    return this.connection.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });
  }

  /** Tells the server settings changed (`auxil/configure`). */
  async configure(settings: ServerSettings): Promise<void> {
    await this.connection.sendNotification('auxil/configure', settings);
  }

  /** The server process's resident memory now and at its peak, in bytes, from /proc (Linux). */
  async memory(): Promise<{ rss: number; peak: number }> {
    const status = await readFile(`/proc/${this.child.pid}/status`, 'utf8');
    const kb = (field: string): number => {
      const value = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1];
      if (value === undefined) throw new Error(`no ${field} in /proc status`);
      return Number(value) * 1024;
    };
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) resolve();
      else this.child.once('exit', () => resolve());
    });
    try {
      await Promise.race([this.connection.sendRequest(ShutdownRequest.type), exited]);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      // The process may already be gone; the kill below covers every case.
    }
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(killer);
    this.connection.dispose();
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
