import * as vscode from 'vscode';

/** Asks for an API token for a server; undefined when the user cancels. */
export async function promptForToken(serverUrl: string): Promise<string | undefined> {
  const token = await vscode.window.showInputBox({
    title: 'Auxil: Sign In',
    prompt: `Paste an API token for ${serverUrl} (an admin creates one with "auxil admin token")`,
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim().startsWith('auxil_') ? undefined : 'An Auxil token starts with "auxil_"'),
  });
  return token?.trim();
}

/** Asks for a backend URL; only http(s) URLs are accepted. Undefined when the user cancels. */
export async function promptForServerUrl(current: string): Promise<string | undefined> {
  const url = await vscode.window.showInputBox({
    title: 'Auxil: Connect to Server',
    prompt: 'URL of the Auxil backend, e.g. https://auxil.example.com',
    value: current,
    ignoreFocusOut: true,
    validateInput: (value) => {
      try {
        const parsed = new URL(value.trim());
        return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? undefined : 'Use an http:// or https:// URL';
      } catch {
        return 'Not a URL';
      }
    },
  });
  return url === undefined ? undefined : url.trim().replace(/\/+$/, '');
}
