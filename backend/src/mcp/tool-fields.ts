import { ProjectName, ProjectPath } from '@auxil/protocol';

/*
 * Input fields several tools share, each described once: the descriptions are what the agent
 * reads to fill them in.
 */

export const projectField = ProjectName.optional().describe(
  'Project name or id. Leave out to use the default project of this connection (the folder `auxil mcp` serves), or the only project there is.',
);

export const fileField = ProjectPath.describe('A file of the project, relative to its root with "/" separators, e.g. src/api/users.ts');
