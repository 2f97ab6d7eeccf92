import { resolveProject } from '../projects/project-service.js';
import type { Services } from '../services.js';

/** Lines of a fragment shown to the agent: enough to recognise the code, little enough to keep answers small. */
export const EXCERPT_LINES = 6;
/** Longest excerpt line, in characters; longer lines end with "…". */
const EXCERPT_LINE_CHARS = 120;

/** The opening lines of a fragment, trimmed to the excerpt limits. */
export function excerptOf(content: string, startLine: number, endLine: number): string {
  const last = Math.min(endLine, startLine + EXCERPT_LINES - 1);
  const lines = content.split(/\r?\n/).slice(startLine - 1, last);
  const shown = lines.map((line) => (line.length > EXCERPT_LINE_CHARS ? `${line.slice(0, EXCERPT_LINE_CHARS - 1)}…` : line));
  if (endLine > last) shown.push(`… (${endLine - last} more lines)`);
  return shown.join('\n');
}

/**
 * Reads the excerpts of fragments from the stored files of a project, one read per distinct file.
 * A file removed since the answer was computed gets an empty excerpt rather than failing the call.
 */
export async function excerpts(
  services: Services,
  tenantId: string,
  projectRef: string,
  fragments: readonly { file: string; startLine: number; endLine: number }[],
): Promise<string[]> {
  const tenant = services.store.forTenant(tenantId);
  const project = await resolveProject(tenant, projectRef);
  const contents = new Map<string, Promise<string | undefined>>();
  return Promise.all(
    fragments.map(async (fragment) => {
      if (!contents.has(fragment.file)) {
        contents.set(
          fragment.file,
          tenant.files.get(project.id, fragment.file).then((file) => file?.content),
        );
      }
      const content = await contents.get(fragment.file);
      return content === undefined ? '' : excerptOf(content, fragment.startLine, fragment.endLine);
    }),
  );
}
