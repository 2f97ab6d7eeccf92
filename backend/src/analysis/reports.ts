import { createHash } from 'node:crypto';
import type { CloneClass } from '../engine/clones/clone-classes.js';
import { VERSION } from '../version.js';
import type { AnalysisResult } from './analyze-directory.js';

/** The JSON report of `auxil analyze --format json` (version 1; documented in docs/cli.md). */
export interface JsonReport {
  version: 1;
  root: string;
  files: number;
  tokens: number;
  durationMs: number;
  /** Milliseconds per phase: discovering files, reading and lexing, matching, grouping classes. */
  timings: { discover: number; scan: number; match: number; classes: number };
  clones: {
    id: string;
    type: 1 | 2 | 3;
    similarity: number;
    tokens: number;
    lines: number;
    fragments: { file: string; startLine: number; endLine: number }[];
  }[];
  skipped: { file: string; reason: string }[];
}

const round = (value: number): number => Math.round(value * 1000) / 1000;

/** A relative path as a URI reference: every segment percent-encoded ('#', '?' and '%' included). */
const encodePath = (path: string): string => path.split('/').map(encodeURIComponent).join('/');

/** SARIF message text treats `[` and `]` as link syntax; literal ones are escaped with a backslash. */
const messageText = (text: string): string => text.replace(/[[\]\\]/g, '\\$&');

/**
 * The JSON report as text, one clone class at a time: a 60,000-file codebase has 100,000 classes,
 * and building the whole report as one object and one string first would cost hundreds of
 * megabytes for nothing. Formatted as `JSON.stringify(report, null, 2)` would format it.
 */
export function* jsonReportText(result: AnalysisResult, root: string, classes: readonly CloneClass[]): Generator<string> {
  const indent = (text: string, spaces: number): string => text.replaceAll('\n', `\n${' '.repeat(spaces)}`);
  const head = { version: 1, root, files: result.files, tokens: result.tokens, durationMs: result.durationMs, timings: result.timings };
  yield `${JSON.stringify(head, null, 2).slice(0, -2)},\n  "clones": [`;
  for (let i = 0; i < classes.length; i++) yield `${i === 0 ? '\n' : ',\n'}${cloneText(classes[i] as CloneClass)}`;
  yield `${classes.length === 0 ? '' : '\n  '}],\n  "skipped": ${indent(JSON.stringify(result.skipped, null, 2), 2)}\n}\n`;
}

/** One clone class as `JSON.stringify` with two-space indentation prints it inside the report. */
function cloneText(cloneClass: CloneClass): string {
  const fragments = cloneClass.fragments
    .map(
      (fragment) =>
        `        {\n          "file": ${JSON.stringify(fragment.path)},\n          "startLine": ${fragment.startLine},\n          "endLine": ${fragment.endLine}\n        }`,
    )
    .join(',\n');
  return (
    `    {\n      "id": ${JSON.stringify(cloneClass.id)},\n      "type": ${cloneClass.type},\n` +
    `      "similarity": ${JSON.stringify(round(cloneClass.similarity))},\n      "tokens": ${cloneClass.tokens},\n` +
    `      "lines": ${cloneClass.lines},\n      "fragments": [\n${fragments}\n      ]\n    }`
  );
}

const rules = [
  {
    id: 'auxil/identical-copy',
    name: 'IdenticalCopy',
    text: 'Code duplicated verbatim (Type-1 clone)',
    help: 'This code also exists elsewhere, identical apart from layout and comments. Extract it into one shared function or module, or delete the copy.',
  },
  {
    id: 'auxil/renamed-copy',
    name: 'RenamedCopy',
    text: 'Code duplicated with renamed identifiers or literals (Type-2 clone)',
    help: 'This code also exists elsewhere with only names, literals or types changed. Extract the common logic and pass the differences as parameters.',
  },
  {
    id: 'auxil/near-miss-copy',
    name: 'NearMissCopy',
    text: 'Code copied and then edited (Type-3 clone)',
    help: 'This code is a near copy of code elsewhere: statements were added, removed or changed. Consider extracting the shared part; near copies drift and their fixes get lost.',
  },
] as const;

/**
 * A copy's identity across runs: its path, its code's hash and, for identical copies in one file,
 * which one it is — but not its lines, so moving code does not close and reopen its alert.
 */
function copyFingerprint(cloneClass: CloneClass, position: number): string {
  const fragment = cloneClass.fragments[position] as CloneClass['fragments'][number];
  const ordinal = cloneClass.fragments
    .slice(0, position)
    .filter((other) => other.path === fragment.path && other.contentHash === fragment.contentHash).length;
  return createHash('sha256').update(`${fragment.path}\n${fragment.contentHash}\n${ordinal}`).digest('hex').slice(0, 32);
}

/** Where SARIF paths are rooted: the repository root when the analysed folder is in one. */
export interface SarifRoot {
  /** file: URI of the folder the paths are relative to. */
  readonly uri: string;
  /** Path of the analysed folder relative to that root ('' when they are the same), '/'-separated. */
  readonly prefix: string;
}

/**
 * SARIF 2.1.0 for GitHub code scanning and other viewers: one result per copy, with the other
 * copies of its class as related locations. Paths are relative to the repository root (GitHub
 * resolves them from there, whatever folder was analysed), and each copy's partial fingerprint is
 * its code's hash, so an alert keeps its identity when the code moves to other lines.
 */
export function sarifReport(result: AnalysisResult, root: SarifRoot, classes: readonly CloneClass[]): object {
  const pathUri = (path: string): string => encodePath(root.prefix === '' ? path : `${root.prefix}/${path}`);
  const results = classes.flatMap((cloneClass) => {
    const ruleIndex = cloneClass.type - 1;
    return cloneClass.fragments.map((fragment, position) => {
      const others = cloneClass.fragments.filter((_, index) => index !== position);
      const links = others
        .map((other, index) => `[${messageText(other.path)}:${other.startLine}-${other.endLine}](${index + 1})`)
        .join(', ');
      return {
        ruleId: rules[ruleIndex]?.id,
        ruleIndex,
        level: 'warning',
        message: {
          text: `${fragment.endLine - fragment.startLine + 1} lines (${cloneClass.tokens} tokens) duplicated in ${others.length} other place${others.length === 1 ? '' : 's'}: ${links}`,
        },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: pathUri(fragment.path), uriBaseId: '%SRCROOT%' },
              region: { startLine: fragment.startLine, endLine: fragment.endLine },
            },
          },
        ],
        relatedLocations: others.map((other, index) => ({
          id: index + 1,
          message: { text: 'other copy' },
          physicalLocation: {
            artifactLocation: { uri: pathUri(other.path), uriBaseId: '%SRCROOT%' },
            region: { startLine: other.startLine, endLine: other.endLine },
          },
        })),
        partialFingerprints: { 'auxilCopy/v1': copyFingerprint(cloneClass, position) },
        properties: { cloneClass: cloneClass.id, cloneType: cloneClass.type, similarity: round(cloneClass.similarity) },
      };
    });
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Auxil',
            version: VERSION,
            rules: rules.map((rule) => ({
              id: rule.id,
              name: rule.name,
              shortDescription: { text: rule.text },
              fullDescription: { text: rule.help },
              help: { text: rule.help },
              defaultConfiguration: { level: 'warning' },
              properties: { tags: ['maintainability', 'duplication'], precision: 'high' },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: root.uri.endsWith('/') ? root.uri : `${root.uri}/` } },
        results,
        properties: { files: result.files, tokens: result.tokens, durationMs: result.durationMs },
      },
    ],
  };
}

/** A human-readable summary with every class and its copies. */
export function textReport(result: AnalysisResult, classes: readonly CloneClass[]): string {
  const percent = result.lines === 0 ? 0 : (100 * result.duplicatedLines) / result.lines;
  const lines = [
    `Auxil: ${result.files} files, ${result.tokens} tokens, ${classes.length} clone classes, ${percent.toFixed(1)}% of lines duplicated (${(result.durationMs / 1000).toFixed(1)} s)`,
  ];
  for (const cloneClass of classes) {
    const similarity = cloneClass.type === 3 ? `, ${Math.round(cloneClass.similarity * 100)}% similar` : '';
    lines.push(
      '',
      `Type ${cloneClass.type} clone, ${cloneClass.tokens} tokens, ${cloneClass.lines} lines${similarity}, ${cloneClass.fragments.length} copies:`,
    );
    for (const fragment of cloneClass.fragments) lines.push(`  ${fragment.path}:${fragment.startLine}-${fragment.endLine}`);
  }
  if (result.skipped.length > 0) {
    const reasons = new Map<string, number>();
    for (const entry of result.skipped) reasons.set(entry.reason, (reasons.get(entry.reason) ?? 0) + 1);
    lines.push('', `Skipped ${result.skipped.length} files: ${[...reasons].map(([reason, count]) => `${count} ${reason}`).join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}
