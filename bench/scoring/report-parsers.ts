import { isAbsolute, relative } from 'node:path';
import type { CloneGroup, CloneReport, LineRange } from './clone-report.js';

/** A report that does not have the shape its tool documents. */
export class ReportFormatError extends Error {
  override readonly name = 'ReportFormatError';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function positiveInteger(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    throw new ReportFormatError(`${what} is not a 1-based line number`);
  return value;
}

// Paths are kept relative to the corpus root with forward slashes, whatever the tool wrote.
function corpusPath(name: unknown, root: string, what: string): string {
  if (typeof name !== 'string' || name === '') throw new ReportFormatError(`${what} has no file name`);
  const path = isAbsolute(name) ? relative(root, name) : name;
  return path.split('\\').join('/').replace(/^\.\//, '');
}

function jscpdFragment(side: unknown, root: string, what: string): LineRange {
  if (!isRecord(side)) throw new ReportFormatError(`${what} is missing`);
  return {
    file: corpusPath(side.name, root, what),
    startLine: positiveInteger(side.start, `${what}.start`),
    endLine: positiveInteger(side.end, `${what}.end`),
  };
}

/**
 * jscpd 5's JSON reporter: `{ duplicates: [{ kind, firstFile: {name, start, end}, secondFile }],
 * statistics: { total: { sources } } }`, names relative to the scanned path, lines 1-based inclusive.
 */
export function parseJscpdReport(json: unknown, root: string): CloneReport {
  if (!isRecord(json) || !Array.isArray(json.duplicates)) throw new ReportFormatError('jscpd report has no duplicates array');
  const groups: CloneGroup[] = json.duplicates.map((duplicate: unknown, index) => {
    if (!isRecord(duplicate)) throw new ReportFormatError(`duplicates[${index}] is not an object`);
    const fragments = [
      jscpdFragment(duplicate.firstFile, root, `duplicates[${index}].firstFile`),
      jscpdFragment(duplicate.secondFile, root, `duplicates[${index}].secondFile`),
    ];
    return typeof duplicate.kind === 'string' ? { fragments, kind: duplicate.kind } : { fragments };
  });
  const statistics = isRecord(json.statistics) ? json.statistics : {};
  const total = isRecord(statistics.total) ? statistics.total : {};
  return { filesAnalysed: typeof total.sources === 'number' ? total.sources : undefined, groups };
}

/**
 * Auxil's `analyze --format json` report (version 1): `{ files, clones: [{ type, fragments:
 * [{ file, startLine, endLine }] }] }`, one clone class per entry, paths relative to the root.
 */
export function parseAuxilReport(json: unknown, root: string): CloneReport {
  if (!isRecord(json)) throw new ReportFormatError('Auxil report is not an object');
  if (json.version !== 1) throw new ReportFormatError(`Auxil report version ${String(json.version)} is not 1`);
  if (!Array.isArray(json.clones)) throw new ReportFormatError('Auxil report has no clones array');
  const groups: CloneGroup[] = json.clones.map((clone: unknown, index) => {
    if (!isRecord(clone) || !Array.isArray(clone.fragments)) throw new ReportFormatError(`clones[${index}] has no fragments`);
    const fragments = clone.fragments.map((fragment: unknown, position) => {
      const what = `clones[${index}].fragments[${position}]`;
      if (!isRecord(fragment)) throw new ReportFormatError(`${what} is not an object`);
      return {
        file: corpusPath(fragment.file, root, what),
        startLine: positiveInteger(fragment.startLine, `${what}.startLine`),
        endLine: positiveInteger(fragment.endLine, `${what}.endLine`),
      };
    });
    return typeof clone.type === 'number' ? { fragments, kind: String(clone.type) } : { fragments };
  });
  return { filesAnalysed: typeof json.files === 'number' ? json.files : undefined, groups };
}
