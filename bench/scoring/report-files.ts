import type { CloneReport } from './clone-report.js';
import { walkJsonFile, type JsonPathKey } from './json-stream.js';
import { parseAuxilReport, parseJscpdReport } from './report-parsers.js';

type Slim = Record<string, unknown>;

function child(parent: Slim, key: string): Slim {
  const existing = parent[key];
  if (typeof existing === 'object' && existing !== null) return existing as Slim;
  const created: Slim = {};
  parent[key] = created;
  return created;
}

/**
 * Reads jscpd's JSON report from disk without holding it whole: only each duplicate's kind and
 * its two files' names and lines are kept (not the fragment text), plus the analysed file count;
 * the slim copy is then checked and converted by {@link parseJscpdReport}.
 */
export function readJscpdReportFile(file: string, root: string): CloneReport {
  const duplicates: Slim[] = [];
  let current: Slim = {};
  let sources: unknown;
  const isSide = (key: JsonPathKey | undefined): key is 'firstFile' | 'secondFile' => key === 'firstFile' || key === 'secondFile';
  walkJsonFile(file, {
    wantsString: (path) =>
      path[0] === 'duplicates' &&
      ((path.length === 3 && path[2] === 'kind') || (path.length === 4 && isSide(path[2]) && path[3] === 'name')),
    value: (path, value) => {
      if (path[0] === 'duplicates') {
        if (path.length === 3 && path[2] === 'kind') current.kind = value;
        else if (path.length === 4 && isSide(path[2]) && ['name', 'start', 'end'].includes(path[3] as string))
          child(current, path[2])[path[3] as string] = value;
      } else if (path.length === 3 && path[0] === 'statistics' && path[1] === 'total' && path[2] === 'sources') {
        sources = value;
      }
    },
    close: (path) => {
      if (path.length === 2 && path[0] === 'duplicates') {
        duplicates.push(current);
        current = {};
      }
    },
  });
  return parseJscpdReport({ duplicates, statistics: { total: { sources } } }, root);
}

/** Reads Auxil's JSON report from disk the same way, keeping only what the scorer reads. */
export function readAuxilReportFile(file: string, root: string): CloneReport {
  const slim: Slim = { clones: [] };
  const clones = slim.clones as Slim[];
  walkJsonFile(file, {
    wantsString: (path) => path.length === 5 && path[0] === 'clones' && path[2] === 'fragments' && path[4] === 'file',
    value: (path, value) => {
      if (path.length === 1 && (path[0] === 'version' || path[0] === 'files')) slim[path[0]] = value;
      if (path[0] !== 'clones' || typeof path[1] !== 'number') return;
      const clone = (clones[path[1]] ??= { fragments: [] });
      if (path.length === 2 + 1 && path[2] === 'type') clone.type = value;
      if (
        path.length === 5 &&
        path[2] === 'fragments' &&
        typeof path[3] === 'number' &&
        ['file', 'startLine', 'endLine'].includes(path[4] as string)
      ) {
        const fragments = clone.fragments as Slim[];
        (fragments[path[3]] ??= {})[path[4] as string] = value;
      }
    },
    close: () => undefined,
  });
  return parseAuxilReport(slim, root);
}
