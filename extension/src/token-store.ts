import type * as vscode from 'vscode';

/**
 * API tokens live in VS Code's SecretStorage (the OS keychain where there is one), one per server,
 * so switching `auxil.serverUrl` never sends one server's token to another.
 */
export class TokenStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  private static key(serverUrl: string): string {
    let origin = serverUrl;
    try {
      origin = new URL(serverUrl).origin;
    } catch {
      // An invalid URL keeps its raw text as the key; the language server reports the URL problem.
    }
    return `auxil.token:${origin}`;
  }

  async get(serverUrl: string): Promise<string | null> {
    return (await this.secrets.get(TokenStore.key(serverUrl))) ?? null;
  }

  async set(serverUrl: string, token: string): Promise<void> {
    await this.secrets.store(TokenStore.key(serverUrl), token);
  }

  async clear(serverUrl: string): Promise<void> {
    await this.secrets.delete(TokenStore.key(serverUrl));
  }
}
