import type { CloneClassItem, CopyLocation } from '@auxil/protocol';
import * as vscode from 'vscode';
import { rowKinds } from './contributions.js';
import type { LspRequests } from './lsp-requests.js';

/** Most classes the tree lists; past this the dashboard is the better overview. */
const MAX_CLASSES = 500;
const PAGE = 100;

export type CloneRow =
  | { readonly kind: 'class'; readonly item: CloneClassItem }
  | { readonly kind: 'copy'; readonly item: CloneClassItem; readonly copy: CopyLocation }
  | { readonly kind: 'suppressed'; readonly classes: readonly CloneClassItem[] };

const typeNames = { 1: 'identical', 2: 'renamed', 3: 'near-miss' } as const;

/** The Clones view: the project's clone classes, largest first, each expanding to its copies. */
export class ClonesView implements vscode.TreeDataProvider<CloneRow> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Set by the owner once the tree view exists, so loading errors can be shown in it. */
  view: vscode.TreeView<CloneRow> | undefined;

  constructor(private readonly requests: LspRequests) {}

  refresh(): void {
    this.changed.fire();
  }

  async getChildren(row?: CloneRow): Promise<CloneRow[]> {
    if (row?.kind === 'class') return row.item.fragments.map((copy) => ({ kind: 'copy', item: row.item, copy }));
    if (row?.kind === 'suppressed') return row.classes.map((item) => ({ kind: 'class', item }));
    if (row) return [];
    const classes = await this.load();
    if (classes === undefined) return [];
    const active = classes.filter((item) => !item.suppressed).map((item): CloneRow => ({ kind: 'class', item }));
    const suppressed = classes.filter((item) => item.suppressed);
    this.setMessage(active.length === 0 ? 'No duplicated code found.' : undefined);
    return suppressed.length ? [...active, { kind: 'suppressed', classes: suppressed }] : active;
  }

  getTreeItem(row: CloneRow): vscode.TreeItem {
    if (row.kind === 'suppressed') {
      const item = new vscode.TreeItem(`Suppressed (${row.classes.length})`, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = 'suppressed';
      item.iconPath = new vscode.ThemeIcon('eye-closed');
      item.tooltip = 'Clone classes suppressed for the project; restore one to see its findings again.';
      return item;
    }
    if (row.kind === 'copy') return copyItem(row.item, row.copy);
    const { item: clone } = row;
    const files = [...new Set(clone.fragments.map((copy) => copy.file))];
    const item = new vscode.TreeItem(`${clone.fragments.length} copies · ${clone.lines} lines`, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `class:${clone.id}`;
    item.description = files.map((file) => file.split('/').pop()).join(', ');
    item.tooltip = `Type ${clone.cloneType} (${typeNames[clone.cloneType]}), ${clone.tokens} tokens\n${clone.fragments.map((copy) => `${copy.file}:${copy.startLine}-${copy.endLine}`).join('\n')}`;
    item.iconPath = new vscode.ThemeIcon('files');
    item.contextValue = clone.suppressed ? rowKinds.suppressedClass : rowKinds.cloneClass;
    return item;
  }

  /** Every page up to MAX_CLASSES, or undefined (with the reason shown in the view) when the server cannot answer. */
  private async load(): Promise<CloneClassItem[] | undefined> {
    const classes: CloneClassItem[] = [];
    let cursor: string | undefined;
    try {
      do {
        const page = await this.requests.cloneClasses({ cursor, limit: PAGE, includeSuppressed: true });
        classes.push(...page.classes);
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined && classes.length < MAX_CLASSES);
    } catch (error) {
      this.setMessage(`Clone classes are unavailable: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    return classes;
  }

  private setMessage(message: string | undefined): void {
    if (this.view) this.view.message = message;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function copyItem(clone: CloneClassItem, copy: CopyLocation): vscode.TreeItem {
  const uri = vscode.Uri.parse(copy.uri);
  const item = new vscode.TreeItem(copy.file, vscode.TreeItemCollapsibleState.None);
  item.id = `copy:${clone.id}:${copy.file}:${copy.startLine}`;
  item.resourceUri = uri;
  item.description = `lines ${copy.startLine}-${copy.endLine}`;
  item.contextValue = rowKinds.copy;
  item.command = { command: 'auxil.openCopy', title: 'Open Copy', arguments: [copy] };
  return item;
}
