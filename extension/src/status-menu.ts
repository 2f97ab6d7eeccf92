import type { ConnectionState } from '@auxil/protocol';
import * as vscode from 'vscode';
import { commands, type CommandId } from './commands.js';

/** The commands the status bar menu offers in each state, most useful first. */
function menuFor(state: ConnectionState, hasStoredToken: boolean): CommandId[] {
  const online = state === 'connected' || state === 'syncing';
  return [
    ...(state === 'signedOut' ? (['auxil.signIn'] as const) : []),
    ...(online ? (['auxil.showDashboard', 'auxil.analyzeWorkspace'] as const) : []),
    'auxil.connect',
    ...(state !== 'signedOut' ? (['auxil.signIn'] as const) : []),
    ...(hasStoredToken ? (['auxil.signOut'] as const) : []),
    'auxil.showLogs',
    'auxil.openSettings',
    'auxil.restart',
  ];
}

/** Shows the Auxil quick pick and runs the chosen command. */
export async function showStatusMenu(state: ConnectionState, detail: string, hasStoredToken: boolean): Promise<void> {
  const items = menuFor(state, hasStoredToken).map((id) => {
    const declaration = commands[id];
    const icon = 'icon' in declaration ? `${declaration.icon} ` : '';
    return { label: `${icon}${declaration.title}`, id };
  });
  const picked = await vscode.window.showQuickPick(items, { title: `Auxil: ${detail}`, placeHolder: 'Choose an Auxil action' });
  if (picked) await vscode.commands.executeCommand(picked.id);
}
