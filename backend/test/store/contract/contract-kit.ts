import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { TestContext } from 'node:test';
import { AuxilError } from '../../../src/errors.js';
import type { ErrorCode } from '@auxil/protocol';
import type { FileWrite, Store, TenantStore } from '../../../src/store/store.js';
import type { ContractCapability, ContractOptions, OpenedStore } from '../../store-contract.js';

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** A file as the store expects it, with the hash of its content. */
export const file = (path: string, content: string, record?: FileWrite['record']): FileWrite => ({
  path,
  content,
  hash: sha256(content),
  ...(record && { record }),
});

/** Code point order, which is UTF-8 byte order; JavaScript's default sort compares UTF-16 units instead. */
export const byCodePoint = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/** Asserts a promise rejects with an AuxilError of this code (and, if given, a message matching `message`). */
export async function rejectsWith(promise: Promise<unknown>, code: ErrorCode, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AuxilError, `an AuxilError, not ${String(error)}`);
    assert.equal(error.code, code);
    if (message) assert.match(error.message, message);
    return true;
  });
}

/** A store with tenant `acme` and its project `shop`, the usual starting point of a case. */
export interface ProjectFixture extends OpenedStore {
  readonly tenant: TenantStore;
  readonly projectId: string;
}

/** What every part of the contract suite shares: the adapter's opener, its options and the fixtures. */
export interface ContractKit {
  readonly adapterName: string;
  readonly options: ContractOptions;
  /** Test options that skip a case, with the reason, where the database under test lacks what it needs. */
  readonly needs: (...capabilities: ContractCapability[]) => { skip?: string };
  /** A store of its own for this test, cleaned up when it ends. */
  readonly fresh: (t: TestContext) => Promise<OpenedStore>;
  /** The store under test and a second one over the same data (or the same one, if the adapter cannot reopen). */
  readonly twoHandles: (t: TestContext) => Promise<{ store: Store; other: Store }>;
  /** A store with tenants `a` and `b` already created. */
  readonly withTwoTenants: (t: TestContext) => Promise<OpenedStore>;
  /** A store with tenant `acme` and its project `shop`. */
  readonly project: (t: TestContext) => Promise<ProjectFixture>;
}

export function contractKit(adapterName: string, open: () => Promise<OpenedStore>, options: ContractOptions): ContractKit {
  const kit: ContractKit = {
    adapterName,
    options,
    needs: (...capabilities) => {
      const reasons = capabilities.map((capability) => options.lacks?.[capability]).filter((reason) => reason !== undefined);
      return reasons.length === 0 ? {} : { skip: reasons.join('; ') };
    },
    fresh: async (t) => {
      const opened = await open();
      t.after(() => opened.cleanup());
      return opened;
    },
    twoHandles: async (t) => {
      const opened = await kit.fresh(t);
      return { store: opened.store, other: opened.reopen ? await opened.reopen() : opened.store };
    },
    withTwoTenants: async (t) => {
      const opened = await kit.fresh(t);
      await opened.store.tenants.ensure('a', 'Tenant A');
      await opened.store.tenants.ensure('b', 'Tenant B');
      return opened;
    },
    project: async (t) => {
      const opened = await kit.fresh(t);
      await opened.store.tenants.ensure('acme', 'Acme');
      const tenant = opened.store.forTenant('acme');
      return { ...opened, tenant, projectId: (await tenant.projects.ensure('shop')).id };
    },
  };
  return kit;
}
