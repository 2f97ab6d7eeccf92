import { ConventionsResponse, FindingsPage } from '@auxil/protocol';
import type { BackendConnection, CallResult } from './backend-connection.js';

/**
 * Files per page of every file's findings. A page is held while its files are published: small
 * pages are gone before V8 moves them to its old generation, which is collected far less often.
 * (25 files made a 50,000-file refresh both faster and ~170 MB smaller at its peak than 100.)
 */
const FINDINGS_PAGE = 25;

const projectUrl = (backend: BackendConnection, rest: string): string => `/v1/projects/${encodeURIComponent(backend.project)}/${rest}`;

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
