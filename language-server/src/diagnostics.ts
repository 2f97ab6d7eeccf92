import type { Finding } from '@auxil/protocol';
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';

/**
 * LSP says a character past the end of its line means the end of that line, so whole-line ranges
 * need no knowledge of the line's length.
 */
const END_OF_LINE = 2_147_483_647;

function lineRange(startLine: number, endLine: number) {
  return { start: { line: startLine - 1, character: 0 }, end: { line: endLine - 1, character: END_OF_LINE } };
}

/** Turns a file's findings into diagnostics; `uriOf` maps a project path to the URI the editor knows. */
export function toDiagnostics(findings: readonly Finding[], uriOf: (path: string) => string): Diagnostic[] {
  return findings.map((finding) => {
    const relatedInformation: DiagnosticRelatedInformation[] = finding.others.map((other) => ({
      location: { uri: uriOf(other.file), range: lineRange(other.startLine, other.endLine) },
      message: `Other copy: ${other.file}:${other.startLine}-${other.endLine}`,
    }));
    return {
      range: lineRange(finding.startLine, finding.endLine),
      severity: DiagnosticSeverity.Warning,
      source: 'Auxil',
      code: finding.cloneType === 1 ? 'duplicate-code' : 'similar-code',
      message: finding.message,
      relatedInformation,
      data: { id: finding.id },
    };
  });
}
