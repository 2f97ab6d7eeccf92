/**
 * Every setting of the extension, declared once. package.json's `contributes.configuration` must
 * match this table; extension/test/manifest.test.ts fails when they drift.
 */
export const settings = {
  'auxil.serverUrl': {
    type: 'string',
    default: 'http://127.0.0.1:7600',
    description: 'URL of the Auxil backend. A backend on this machine (127.0.0.1 or localhost) is signed in to automatically.',
  },
  'auxil.project': {
    type: 'string',
    default: '',
    description: "Project name on the backend. Empty: the workspace folder's name.",
  },
  'auxil.debounceMs': {
    type: 'number',
    default: 300,
    minimum: 0,
    maximum: 10000,
    description: 'Milliseconds to wait after the last keystroke before sending a file for analysis.',
  },
} as const;

export type SettingKey = keyof typeof settings;

/** Every command of the extension, declared once and checked against package.json the same way. */
export const commandTitles = {
  'auxil.setToken': 'Set API Token',
  'auxil.signOut': 'Sign Out',
  'auxil.restart': 'Restart Language Server',
  'auxil.showLogs': 'Show Logs',
} as const;

export type CommandId = keyof typeof commandTitles;

/** The `contributes` section package.json must carry, generated from the tables above. */
export function manifestContributions() {
  return {
    commands: Object.entries(commandTitles).map(([command, title]) => ({ command, title, category: 'Auxil' })),
    configuration: { title: 'Auxil', properties: settings },
  };
}
