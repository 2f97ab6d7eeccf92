import { ClonesPage, ConventionsResponse, FindingsPage } from '@auxil/protocol';
import type { BackendConnection, CallResult } from './backend-connection.js';

/** Clone classes fetched per request when the whole list is needed. */
const PAGE = 500;
/**
 * Files per page of every file's findings. A page is held while its files are published: small
 * pages are gone before V8 moves them to its old generation, which is collected far less often.
 * (25 files made a 50,000-file refresh both faster and ~170 MB smaller at its peak than 100.)
 */
const FINDINGS_PAGE = 25;

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

/** Every file's findings, a page at a time in path order; a failed page ends the walk. */
export async function* findingsPages(backend: BackendConnection): AsyncGenerator<CallResult<FindingsPage>> {
  let cursor: string | undefined;
  do {
    const query = new URLSearchParams({ limit: String(FINDINGS_PAGE), ...(cursor !== undefined ? { cursor } : {}) });
    const page = await backend.json(FindingsPage, 'GET', projectUrl(backend, `findings/pages?${query.toString()}`));
    yield page;
    if (!page.ok) return;
    cursor = page.value.nextCursor;
  } while (cursor !== undefined);
}
