import { commands, contextKeys, type CommandId } from './commands.js';
import { settings } from './settings.js';

/** The views of the Auxil activity-bar container; ids are the ones the extension registers providers for. */
export const viewIds = {
  clones: 'auxil.clones',
  conventions: 'auxil.conventions',
  similar: 'auxil.similar',
} as const;

/** The `contextValue` of each kind of tree row, which decides the actions a row shows. */
export const rowKinds = {
  cloneClass: 'cloneClass',
  suppressedClass: 'suppressedClass',
  copy: 'copy',
} as const;

const signedOut = `${contextKeys.connection} == signedOut`;

const menuItem = (command: CommandId, when: string, group: string) => ({ command, when, group });

/** The `contributes` section package.json must carry, generated from the declarations. */
export function manifestContributions() {
  return {
    commands: Object.entries(commands).map(([command, declaration]) => ({
      command,
      title: declaration.title,
      category: 'Auxil',
      ...('icon' in declaration ? { icon: declaration.icon } : {}),
      ...('enablement' in declaration ? { enablement: declaration.enablement } : {}),
    })),
    configuration: { title: 'Auxil', properties: settings },
    viewsContainers: { activitybar: [{ id: 'auxil', title: 'Auxil', icon: 'media/auxil.svg' }] },
    views: {
      auxil: [
        { id: viewIds.clones, name: 'Clones' },
        { id: viewIds.conventions, name: 'Conventions' },
        { id: viewIds.similar, name: 'Similar Code' },
      ],
    },
    viewsWelcome: [
      {
        view: viewIds.clones,
        contents: 'Sign in to see the duplicated code of this workspace.\n[Sign In](command:auxil.signIn)',
        when: signedOut,
      },
      {
        view: viewIds.similar,
        contents:
          'Select code in an editor, then run Find Similar Code to see where it already exists.\n[Find Similar Code](command:auxil.findSimilar)',
      },
    ],
    menus: {
      commandPalette: Object.entries(commands)
        .filter(([, declaration]) => 'internal' in declaration)
        .map(([command]) => ({ command, when: 'false' })),
      'view/title': [
        menuItem('auxil.refreshViews', `view == ${viewIds.clones} || view == ${viewIds.conventions}`, 'navigation'),
        menuItem('auxil.showDashboard', `view == ${viewIds.clones}`, 'navigation'),
      ],
      'view/item/context': [
        menuItem('auxil.compareInClass', `view == ${viewIds.clones} && viewItem == ${rowKinds.cloneClass}`, 'inline'),
        menuItem('auxil.suppressCloneClass', `view == ${viewIds.clones} && viewItem == ${rowKinds.cloneClass}`, 'inline'),
        menuItem('auxil.restoreCloneClass', `view == ${viewIds.clones} && viewItem == ${rowKinds.suppressedClass}`, 'inline'),
        menuItem('auxil.compareInClass', `view == ${viewIds.clones} && viewItem == ${rowKinds.copy}`, 'inline'),
      ],
      'editor/context': [menuItem('auxil.findSimilar', 'editorHasSelection', 'auxil')],
    },
  };
}
