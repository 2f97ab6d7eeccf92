import {
  CloneLocation,
  type ConventionFinding,
  type DuplicateFinding,
  type Finding,
  type FindingSeverity,
  type ServerSettings,
} from '@auxil/protocol';
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import { z } from 'zod';

/**
 * LSP says a character past the end of its line means the end of that line, so whole-line ranges
 * need no knowledge of the line's length.
 */
const END_OF_LINE = 2_147_483_647;

export function lineRange(startLine: number, endLine: number) {
  return { start: { line: startLine - 1, character: 0 }, end: { line: endLine - 1, character: END_OF_LINE } };
}

/**
 * Most other copies a diagnostic links to. Classes of boilerplate can have hundreds of copies;
 * linking each copy to every other one would grow with the square of that (the message still
 * counts them all).
 */
const MAX_RELATED = 50;
/**
 * Most links to other copies in one file's diagnostics together. A generated file can hold
 * thousands of copies; at 50 links each its diagnostics would be one message of tens of MB, so
 * such a file's copies each link to fewer (at least one; their messages still count them all).
 */
const MAX_RELATED_PER_FILE = 5000;

/**
 * Other copies a diagnostic's data names: the ones its code actions offer to open and compare (the
 * rest are in its relatedInformation). A large workspace publishes hundreds of thousands of
 * diagnostics, so each one stays small.
 */
const DATA_OTHERS = 3;

/** Each diagnostic code, as docs/diagnostics.md names its sections. */
export const DIAGNOSTIC_CODES = {
  1: 'duplicate-code',
  2: 'renamed-copy',
  3: 'near-miss-copy',
  naming: 'naming-convention',
  'file-naming': 'file-naming-convention',
  location: 'file-location-convention',
} as const;

const SEVERITIES: Record<Exclude<FindingSeverity, 'off'>, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/**
 * What a diagnostic carries for its code actions. LSP hands `data` back from the client with the
 * diagnostic, so it is validated like any other input.
 */
export const DiagnosticData = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('duplicate'),
    classId: z.string(),
    file: z.string(),
    startLine: z.number().int().min(1),
    endLine: z.number().int().min(1),
    others: z.array(CloneLocation),
  }),
  z.object({
    kind: z.literal('convention'),
    conventionId: z.string(),
    expected: z.string(),
    actual: z.string(),
    line: z.number().int().min(1),
    column: z.number().int().min(0).optional(),
  }),
]);
export type DiagnosticData = z.infer<typeof DiagnosticData>;

/** The clone class a duplicate finding belongs to: its id up to the ':' that precedes the copy's line. */
export function classIdOf(finding: DuplicateFinding): string {
  const colon = finding.id.lastIndexOf(':');
  return colon < 0 ? finding.id : finding.id.slice(0, colon);
}

export interface DiagnosticOptions {
  readonly settings: Pick<ServerSettings, 'severity' | 'minTokens'>;
  /** Base of the guide's links: each code is a section of it. */
  readonly docsUrl: string | undefined;
  /** Maps a project path to the URI the editor knows. */
  readonly uriOf: (path: string) => string;
}

/** Turns a file's findings into diagnostics, leaving out the kinds the settings turn off. */
export function toDiagnostics(file: string, findings: readonly Finding[], options: DiagnosticOptions): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const copies = findings.filter((finding) => finding.kind === 'duplicate').length;
  const related = Math.max(1, Math.min(MAX_RELATED, Math.floor(MAX_RELATED_PER_FILE / Math.max(copies, 1))));
  for (const finding of findings) {
    const diagnostic =
      finding.kind === 'duplicate' ? duplicateDiagnostic(file, finding, related, options) : conventionDiagnostic(finding, options);
    if (diagnostic) diagnostics.push(diagnostic);
  }
  return diagnostics;
}

function withCode(code: string, docsUrl: string | undefined): Pick<Diagnostic, 'code' | 'codeDescription'> {
  return docsUrl === undefined ? { code } : { code, codeDescription: { href: `${docsUrl}#${code}` } };
}

function duplicateDiagnostic(file: string, finding: DuplicateFinding, related: number, options: DiagnosticOptions): Diagnostic | undefined {
  const severity = options.settings.severity[`type${finding.cloneType}`];
  if (severity === 'off' || finding.tokens < options.settings.minTokens) return undefined;
  const relatedInformation: DiagnosticRelatedInformation[] = finding.others.slice(0, related).map((other) => ({
    location: { uri: options.uriOf(other.file), range: lineRange(other.startLine, other.endLine) },
    message: `Other copy: ${other.file}:${other.startLine}-${other.endLine}`,
  }));
  const data: DiagnosticData = {
    kind: 'duplicate',
    classId: classIdOf(finding),
    file,
    startLine: finding.startLine,
    endLine: finding.endLine,
    others: finding.others.slice(0, DATA_OTHERS),
  };
  return {
    range: lineRange(finding.startLine, finding.endLine),
    severity: SEVERITIES[severity],
    source: 'Auxil',
    ...withCode(DIAGNOSTIC_CODES[finding.cloneType], options.docsUrl),
    message: finding.message,
    relatedInformation,
    data,
  };
}

function conventionDiagnostic(finding: ConventionFinding, options: DiagnosticOptions): Diagnostic | undefined {
  const severity = options.settings.severity.convention;
  if (severity === 'off') return undefined;
  const rule = finding.conventionId.slice(0, finding.conventionId.indexOf(':'));
  const code = rule in DIAGNOSTIC_CODES ? DIAGNOSTIC_CODES[rule as 'naming' | 'file-naming' | 'location'] : 'convention';
  const data: DiagnosticData = {
    kind: 'convention',
    conventionId: finding.conventionId,
    expected: finding.expected,
    actual: finding.actual,
    line: finding.startLine,
    ...(finding.column !== undefined ? { column: finding.column } : {}),
  };
  return {
    range: lineRange(finding.startLine, finding.endLine),
    severity: SEVERITIES[severity],
    source: 'Auxil',
    ...withCode(code, options.docsUrl),
    message: finding.message,
    data,
  };
}
