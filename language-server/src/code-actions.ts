import { ClientCommands, ServerCommands, type CopyArgument } from '@auxil/protocol';
import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { conventionRename } from './convention-rename.js';
import { DiagnosticData } from './diagnostics.js';

/** Other copies offered as "open" and "compare" actions per diagnostic; the rest are in relatedInformation. */
const MAX_COPY_ACTIONS = 3;

export interface CodeActionContext {
  readonly file: string;
  /** The document when the editor has it open: the rename needs its text and version. */
  readonly document: TextDocument | undefined;
  readonly uriOf: (path: string) => string;
}

/** The data of one of our diagnostics, or undefined for another source's (or a tampered one). */
function dataOf(diagnostic: Diagnostic): DiagnosticData | undefined {
  if (diagnostic.source !== 'Auxil') return undefined;
  const parsed = DiagnosticData.safeParse(diagnostic.data);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The actions of Auxil's diagnostics in the requested range: for a copy, open or compare each other
 * copy and suppress its clone class; for a naming deviation, the rename to the expected style when
 * that rename is safe.
 */
export function codeActions(params: CodeActionParams, context: CodeActionContext): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of params.context.diagnostics) {
    const data = dataOf(diagnostic);
    if (!data) continue;
    if (data.kind === 'duplicate') {
      const here: CopyArgument = { uri: params.textDocument.uri, startLine: data.startLine, endLine: data.endLine };
      for (const other of data.others.slice(0, MAX_COPY_ACTIONS)) {
        const there: CopyArgument = { uri: context.uriOf(other.file), startLine: other.startLine, endLine: other.endLine };
        const where = `${other.file}:${other.startLine}-${other.endLine}`;
        actions.push({
          title: `Auxil: Open the copy in ${where}`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          command: { title: 'Open copy', command: ClientCommands.openCopy, arguments: [there] },
        });
        actions.push({
          title: `Auxil: Compare with the copy in ${where}`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          command: { title: 'Compare copies', command: ClientCommands.compareCopies, arguments: [here, there] },
        });
      }
      actions.push({
        title: 'Auxil: Suppress this clone class (for the whole team)',
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        command: { title: 'Suppress clone class', command: ServerCommands.suppressClass, arguments: [data.classId] },
      });
    } else if (context.document) {
      const document = context.document;
      const rename = conventionRename({
        file: context.file,
        source: document.getText(),
        conventionId: data.conventionId,
        expected: data.expected,
        actual: data.actual,
        line: data.line,
        column: data.column,
      });
      if (!rename) continue;
      actions.push({
        title: `Auxil: Rename ${rename.oldName} to ${rename.newName} (${data.expected})`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: true,
        // Carrying the version makes the client refuse the edit if the document changed since.
        edit: {
          documentChanges: [{ textDocument: { uri: context.document.uri, version: context.document.version }, edits: rename.edits }],
        },
      });
    }
  }
  return actions;
}
