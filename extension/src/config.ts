import type { ServerSettings } from '@auxil/protocol';
import * as vscode from 'vscode';
import { settings, type SettingKey } from './settings.js';

type SettingValue<K extends SettingKey> = (typeof settings)[K]['default'] extends string ? string : number;

function read<K extends SettingKey>(key: K): SettingValue<K> {
  const [section, name] = key.split('.') as [string, string];
  return vscode.workspace.getConfiguration(section).get(name, settings[key].default) as SettingValue<K>;
}

/** The settings the language server needs, read from VS Code's configuration plus the token. */
export function serverSettings(token: string | null): ServerSettings {
  const project = read('auxil.project').trim();
  return {
    serverUrl: read('auxil.serverUrl'),
    token,
    project: project === '' ? undefined : project,
    debounceMs: read('auxil.debounceMs'),
    reconnectMinMs: 500,
    reconnectMaxMs: 10_000,
  };
}

export function affectsAuxil(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration('auxil');
}
