import { createHash } from 'node:crypto';
import type { PutFileResponse } from '@auxil/protocol';
import { AuxilError } from '../errors.js';
import type { Services } from '../services.js';

export interface UpdateFileInput {
  readonly tenantId: string;
  readonly projectName: string;
  /** Already validated project-relative path. */
  readonly path: string;
  /** The file's content as UTF-8 bytes. */
  readonly content: Uint8Array;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decode(content: Uint8Array): string {
  try {
    return utf8.decode(content);
  } catch {
    throw new AuxilError('invalid_encoding', 'the file content is not valid UTF-8; Auxil analyses UTF-8 text files only');
  }
}

/**
 * Stores one file's new content, updates the project's live index for that file only, and pushes
 * fresh findings to every subscriber for each other file the change affected. Re-sending content
 * the backend already has costs a hash and a lookup, nothing more.
 */
export async function updateFile(services: Services, input: UpdateFileInput): Promise<PutFileResponse> {
  const text = decode(input.content);
  const hash = createHash('sha256').update(input.content).digest('hex');
  const tenant = services.store.forTenant(input.tenantId);
  const project = await tenant.projects.ensure(input.projectName);
  const index = await services.indexes.get(input.tenantId, project);

  return index.exclusive(async () => {
    let affected = new Set<string>();
    if (index.hashOf(input.path) !== hash) {
      await tenant.files.put(project.id, { path: input.path, hash, content: text });
      affected = index.upsert(input.path, hash, text);
    }
    const own = index.findingsOf(input.path);
    if (!own) throw new Error(`index lost ${input.path} right after storing it`);
    if (services.push.hasSubscribers(input.tenantId, input.projectName)) {
      for (const path of affected) {
        const findings = path === input.path ? own : index.findingsOf(path);
        if (findings)
          services.push.publish(input.tenantId, input.projectName, { type: 'findings', project: input.projectName, ...findings });
      }
    }
    affected.delete(input.path);
    return { ...own, affected: affected.size };
  });
}
