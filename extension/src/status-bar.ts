import type { StatusParams } from '@auxil/protocol';
import * as vscode from 'vscode';

const presentation: Record<StatusParams['state'], { text: string; label: string; command: string }> = {
  connecting: { text: '$(sync~spin) Auxil', label: 'Auxil: connecting', command: 'auxil.showLogs' },
  connected: { text: '$(pass) Auxil', label: 'Auxil: connected', command: 'auxil.showLogs' },
  offline: { text: '$(debug-disconnect) Auxil: offline', label: 'Auxil: offline', command: 'auxil.showLogs' },
  signedOut: { text: '$(key) Auxil: sign in', label: 'Auxil: signed out', command: 'auxil.setToken' },
};

/** The status bar item showing the language server's link to the backend. */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('auxil.status', vscode.StatusBarAlignment.Left, 10);

  constructor() {
    this.item.name = 'Auxil';
    this.show({ state: 'connecting', detail: 'starting', serverUrl: '', project: '' });
    this.item.show();
  }

  show(status: StatusParams): void {
    const { text, label, command } = presentation[status.state];
    this.item.text = text;
    this.item.accessibilityInformation = { label };
    this.item.command = command;
    this.item.tooltip = `Auxil: ${status.detail}`;
    this.item.backgroundColor = status.state === 'offline' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
