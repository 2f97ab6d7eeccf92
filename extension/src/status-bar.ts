import type { ConnectionState, StatusParams } from '@auxil/protocol';
import * as vscode from 'vscode';
import type { CommandId } from './commands.js';

const presentation: Record<ConnectionState, { text: string; label: string }> = {
  connecting: { text: '$(sync~spin) Auxil', label: 'Auxil: connecting' },
  connected: { text: '$(pass) Auxil', label: 'Auxil: connected' },
  syncing: { text: '$(sync~spin) Auxil: syncing', label: 'Auxil: syncing' },
  offline: { text: '$(debug-disconnect) Auxil: offline', label: 'Auxil: offline' },
  signedOut: { text: '$(key) Auxil: sign in', label: 'Auxil: signed out' },
};

/** Percentage of a sync done, or undefined while the total is unknown. */
export function syncPercent(status: StatusParams): number | undefined {
  const progress = status.progress;
  if (status.state !== 'syncing' || !progress || progress.total === 0) return undefined;
  return Math.min(100, Math.floor((progress.done / progress.total) * 100));
}

/** The status bar item showing the language server's link to the backend; a click opens the Auxil menu. */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('auxil.status', vscode.StatusBarAlignment.Left, 10);

  constructor(menuCommand: CommandId) {
    this.item.name = 'Auxil';
    this.item.command = menuCommand;
    this.show({ state: 'connecting', detail: 'starting', serverUrl: '', project: '' });
    this.item.show();
  }

  show(status: StatusParams): void {
    const { text, label } = presentation[status.state];
    const percent = syncPercent(status);
    this.item.text = percent === undefined ? text : `${text} ${percent}%`;
    this.item.accessibilityInformation = { label: percent === undefined ? label : `${label} ${percent}%` };
    this.item.tooltip = `Auxil: ${status.detail}\nClick for the Auxil menu`;
    this.item.backgroundColor = status.state === 'offline' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
