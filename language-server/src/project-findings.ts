import {
  ClonesPage,
  ConventionsResponse,
  conventionFinding,
  duplicateMessage,
  type ConventionFinding,
  type DuplicateFinding,
} from '@auxil/protocol';
import type { BackendConnection, CallResult } from './backend-connection.js';
import { MAX_RELATED } from './diagnostics.js';

/** Clone classes fetched per request when the whole list is needed. */
const PAGE = 500;

export type CloneClass = ClonesPage['classes'][number];

const projectUrl = (backend: BackendConnection, rest: string): string => `/v1/projects/${encodeURIComponent(backend.project)}/${rest}`;

/** Every clone class of the project, largest first, with the revision of the last page. */
export async function allClasses(
  backend: BackendConnection,
  signal?: AbortSignal,
): Promise<CallResult<{ classes: CloneClass[]; revision: number }>> {
  const classes: CloneClass[] = [];
  // JSON gives every fragment its own copy of its path; one string per path keeps a large project small.
  const paths = new Map<string, string>();
  const intern = (path: string): string => {
    const known = paths.get(path);
    if (known !== undefined) return known;
    paths.set(path, path);
    return path;
  };
  let cursor: string | undefined;
  for (;;) {
    const query = new URLSearchParams({ limit: String(PAGE), ...(cursor ? { cursor } : {}) });
    const page = await backend.json(ClonesPage, 'GET', projectUrl(backend, `clones?${query.toString()}`), undefined, signal);
    if (!page.ok) return page;
    for (const cloneClass of page.value.classes) {
      classes.push({ ...cloneClass, fragments: cloneClass.fragments.map((fragment) => ({ ...fragment, file: intern(fragment.file) })) });
    }
    cursor = page.value.nextCursor;
    if (cursor === undefined) return { ok: true, value: { classes, revision: page.value.revision } };
  }
}

export function conventions(backend: BackendConnection, signal?: AbortSignal): Promise<CallResult<ConventionsResponse>> {
  return backend.json(ConventionsResponse, 'GET', projectUrl(backend, 'conventions'), undefined, signal);
}

/** The finding of one copy, worded like the backend's per-file findings. */
export function copyFinding(cloneClass: CloneClass, index: number): DuplicateFinding {
  const fragments = cloneClass.fragments;
  const fragment = fragments[index] as CloneClass['fragments'][number];
  // Only the copies a diagnostic links to are kept: a class's findings stay linear in its size.
  const others: CloneClass['fragments'] = [];
  for (let at = 0; at < fragments.length && others.length < MAX_RELATED; at++)
    if (at !== index) others.push(fragments[at] as (typeof others)[number]);
  return {
    kind: 'duplicate',
    id: `${cloneClass.id}:${fragment.startLine}`,
    cloneType: cloneClass.type,
    tokens: cloneClass.tokens,
    startLine: fragment.startLine,
    endLine: fragment.endLine,
    message: duplicateMessage(cloneClass, others, fragments.length - 1),
    others,
  };
}

/** One copy of a class, kept as a reference: its finding is built only when it is shown. */
export interface CopyRef {
  readonly cloneClass: CloneClass;
  readonly index: number;
}

export type FindingsByFile = Map<string, { copies: CopyRef[]; conventions: ConventionFinding[] }>;

/** Every file's findings, from the project's clone classes and its convention deviations. */
export function findingsByFile(classes: readonly CloneClass[], deviations: ConventionsResponse['deviations']): FindingsByFile {
  const byFile: FindingsByFile = new Map();
  const entry = (file: string) => {
    let found = byFile.get(file);
    if (!found) byFile.set(file, (found = { copies: [], conventions: [] }));
    return found;
  };
  for (const cloneClass of classes) {
    cloneClass.fragments.forEach((fragment, index) => entry(fragment.file).copies.push({ cloneClass, index }));
  }
  for (const deviation of deviations) entry(deviation.file).conventions.push(conventionFinding(deviation));
  return byFile;
}
