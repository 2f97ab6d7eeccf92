import type { FindSimilarResult } from '@auxil/protocol';
import * as vscode from 'vscode';

type Match = FindSimilarResult['matches'][number];

/** The Similar Code view: the answer to the last Find Similar Code, best match first. */
export class SimilarView implements vscode.TreeDataProvider<Match> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private matches: readonly Match[] = [];
  view: vscode.TreeView<Match> | undefined;

  /** Shows a new answer; `query` names the selection it is for. */
  show(matches: readonly Match[], query: string): void {
    this.matches = [...matches].sort((a, b) => b.similarity - a.similarity);
    if (this.view) this.view.message = matches.length ? `Like ${query}:` : `Nothing in the project is like ${query}.`;
    this.changed.fire();
  }

  getChildren(match?: Match): Match[] {
    return match ? [] : [...this.matches];
  }

  getTreeItem(match: Match): vscode.TreeItem {
    const item = new vscode.TreeItem(`${match.file}:${match.startLine}-${match.endLine}`, vscode.TreeItemCollapsibleState.None);
    item.resourceUri = vscode.Uri.parse(match.uri);
    item.description = `${Math.round(match.similarity * 100)}% · Type ${match.cloneType}`;
    const tooltip = new vscode.MarkdownString();
    tooltip.appendCodeblock(match.excerpt);
    item.tooltip = tooltip;
    item.command = { command: 'auxil.openCopy', title: 'Open Copy', arguments: [match] };
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
