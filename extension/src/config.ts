import type { ServerSettings } from '@auxil/protocol';
import * as vscode from 'vscode';
import { settings, type SettingKey, type SettingValue } from './settings.js';

/** Reads the extension's settings with the types their declaration gives them. */
export function readSetting<K extends SettingKey>(key: K): SettingValue<K> {
  const name = key.slice('auxil.'.length);
  return vscode.workspace.getConfiguration('auxil').get(name, settings[key].default as SettingValue<K>);
}

/** The settings the language server needs, read from VS Code's configuration plus the token. */
export function serverSettings(token: string | null): ServerSettings {
  const project = readSetting('auxil.project').trim();
  return {
    serverUrl: readSetting('auxil.serverUrl'),
    token,
    project: project === '' ? undefined : project,
    debounceMs: readSetting('auxil.debounceMs'),
    reconnectMinMs: 500,
    reconnectMaxMs: 10_000,
    exclude: readSetting('auxil.exclude'),
    severity: {
      type1: readSetting('auxil.severity.type1'),
      type2: readSetting('auxil.severity.type2'),
      type3: readSetting('auxil.severity.type3'),
      convention: readSetting('auxil.severity.convention'),
    },
    minTokens: readSetting('auxil.minTokens'),
    publishClosedFiles: readSetting('auxil.diagnostics.closedFiles'),
  };
}

export function affectsAuxil(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration('auxil');
}
