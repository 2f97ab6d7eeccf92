import type { ConventionsResult } from '@auxil/protocol';
import * as vscode from 'vscode';
import type { LspRequests } from './lsp-requests.js';

type Convention = ConventionsResult['conventions'][number];
type Deviation = ConventionsResult['deviations'][number];

export type ConventionRow =
  | { readonly kind: 'convention'; readonly convention: Convention; readonly deviations: readonly Deviation[] }
  | { readonly kind: 'deviation'; readonly deviation: Deviation };

/** The Conventions view: what the codebase does most of the time, and the places that do otherwise. */
export class ConventionsView implements vscode.TreeDataProvider<ConventionRow> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  view: vscode.TreeView<ConventionRow> | undefined;

  constructor(private readonly requests: LspRequests) {}

  refresh(): void {
    this.changed.fire();
  }

  async getChildren(row?: ConventionRow): Promise<ConventionRow[]> {
    if (row?.kind === 'convention') return row.deviations.map((deviation) => ({ kind: 'deviation', deviation }));
    if (row) return [];
    let result: ConventionsResult;
    try {
      result = await this.requests.conventions();
    } catch (error) {
      this.setMessage(`Conventions are unavailable: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
    this.setMessage(result.conventions.length === 0 ? 'No conventions learned yet: the project needs more files.' : undefined);
    return result.conventions.map((convention) => ({
      kind: 'convention',
      convention,
      deviations: result.deviations.filter((deviation) => deviation.conventionId === convention.id),
    }));
  }

  getTreeItem(row: ConventionRow): vscode.TreeItem {
    if (row.kind === 'deviation') {
      const { deviation } = row;
      const item = new vscode.TreeItem(`${deviation.file}:${deviation.line}`, vscode.TreeItemCollapsibleState.None);
      item.resourceUri = vscode.Uri.parse(deviation.uri);
      item.description = deviation.actual;
      item.tooltip = deviation.message;
      item.command = {
        command: 'auxil.openCopy',
        title: 'Open',
        arguments: [{ uri: deviation.uri, startLine: deviation.line, endLine: deviation.line }],
      };
      return item;
    }
    const { convention, deviations } = row;
    const state = deviations.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(`${convention.rule}: ${convention.expected}`, state);
    item.id = `convention:${convention.id}`;
    item.description = `${Math.round(convention.share * 100)}% of ${convention.total} · ${deviations.length} deviating`;
    item.iconPath = new vscode.ThemeIcon(deviations.length ? 'warning' : 'pass');
    return item;
  }

  private setMessage(message: string | undefined): void {
    if (this.view) this.view.message = message;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
