import { AsyncLocalStorage } from 'node:async_hooks';

/** Who is asking, carried through every await of one request without threading it by hand. */
export interface RequestContext {
  readonly requestId: string;
  /** Set once the caller is authenticated. */
  tenantId?: string;
  tokenId?: string;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

/** The current request's context; undefined outside of a request (start-up, CLI). */
export function currentRequest(): RequestContext | undefined {
  return requestContext.getStore();
}
