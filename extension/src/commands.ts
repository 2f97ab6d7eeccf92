/**
 * Every command of the extension, declared once: its title, icon and the state it needs. package.json's
 * `contributes.commands` and `menus.commandPalette` are generated from this table (contributions.ts),
 * and extension.ts must give every id a handler (its table is typed `Record<CommandId, …>`), so a
 * command cannot exist without working.
 */

/** Context keys the extension sets; `when` clauses below refer to them. */
export const contextKeys = {
  /** The language server's link to the backend: connecting, connected, syncing, offline or signedOut. */
  connection: 'auxil.connection',
  /** A token for the current server URL is in SecretStorage. */
  hasStoredToken: 'auxil.hasStoredToken',
} as const;

const online = `${contextKeys.connection} == connected || ${contextKeys.connection} == syncing`;

interface CommandDeclaration {
  readonly title: string;
  /** A product icon (`$(name)`), shown where the command sits in a view's toolbar or row. */
  readonly icon?: string;
  /** When clause under which the command can run; elsewhere VS Code shows it disabled. */
  readonly enablement?: string;
  /** Internal commands that need arguments (invoked by code actions and tree rows) stay out of the palette. */
  readonly internal?: true;
}

export const commands = {
  'auxil.signIn': { title: 'Sign In', icon: '$(key)' },
  'auxil.signOut': { title: 'Sign Out', enablement: contextKeys.hasStoredToken },
  'auxil.connect': { title: 'Connect to Server…', icon: '$(plug)' },
  'auxil.analyzeWorkspace': { title: 'Analyze Workspace', icon: '$(run-all)', enablement: online },
  'auxil.findSimilar': { title: 'Find Similar Code', icon: '$(search)', enablement: online },
  'auxil.showDashboard': { title: 'Show Dashboard', icon: '$(graph)', enablement: online },
  'auxil.openSettings': { title: 'Open Settings', icon: '$(gear)' },
  'auxil.showLogs': { title: 'Show Logs', icon: '$(output)' },
  'auxil.showMenu': { title: 'Show Status Menu' },
  'auxil.restart': { title: 'Restart Language Server' },
  'auxil.refreshViews': { title: 'Refresh', icon: '$(refresh)', enablement: online },
  'auxil.openCopy': { title: 'Open Copy', icon: '$(go-to-file)', internal: true },
  'auxil.compareCopies': { title: 'Compare Copies', icon: '$(diff)', internal: true },
  'auxil.compareInClass': { title: 'Compare with Another Copy', icon: '$(diff)', internal: true },
  'auxil.suppressCloneClass': { title: 'Suppress Clone Class', icon: '$(eye-closed)', enablement: online, internal: true },
  'auxil.restoreCloneClass': { title: 'Restore Clone Class', icon: '$(eye)', enablement: online, internal: true },
} as const satisfies Record<string, CommandDeclaration>;

export type CommandId = keyof typeof commands;
