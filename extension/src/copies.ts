import { CopyArgument } from '@auxil/protocol';
import { posix } from 'node:path';
import * as vscode from 'vscode';

/** The lines of a copy as an editor selection (1-based inclusive lines → whole-line range). */
function linesOf(copy: CopyArgument): vscode.Range {
  return new vscode.Range(copy.startLine - 1, 0, copy.endLine - 1, Number.MAX_SAFE_INTEGER);
}

/**
 * Checks a copy handed to a command. Code actions and tree rows pass them, but a command can be run
 * from anywhere (a keybinding, another extension), so the argument is validated like any input.
 */
export function parseCopy(value: unknown): CopyArgument {
  const parsed = CopyArgument.safeParse(value);
  if (!parsed.success) throw new Error('Auxil: this command needs a copy { uri, startLine, endLine }.');
  return parsed.data;
}

function label(copy: CopyArgument): string {
  return `${posix.basename(vscode.Uri.parse(copy.uri).path)}:${copy.startLine}-${copy.endLine}`;
}

/** Opens a copy and selects its lines. */
export async function openCopy(copy: CopyArgument): Promise<void> {
  await vscode.window.showTextDocument(vscode.Uri.parse(copy.uri), { selection: linesOf(copy), preview: true });
}

/**
 * Opens VS Code's diff editor between the files of two copies, revealing the second copy's lines
 * (the diff editor aligns the first file's matching lines beside them).
 */
export async function compareCopies(left: CopyArgument, right: CopyArgument): Promise<void> {
  await vscode.commands.executeCommand(
    'vscode.diff',
    vscode.Uri.parse(left.uri),
    vscode.Uri.parse(right.uri),
    `${label(left)} ↔ ${label(right)}`,
    { selection: linesOf(right), preview: true } satisfies vscode.TextDocumentShowOptions,
  );
}
