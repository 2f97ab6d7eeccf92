import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { listClones } from '../../projects/project-service.js';
import { startOrReuseAnalysis, waitForAnalysis } from '../analysis-runs.js';
import { compactClass, CompactCloneClass } from '../compact-clones.js';
import type { McpSession } from '../mcp-session.js';
import { projectField } from '../tool-fields.js';
import { guarded, type ToolPolicy } from '../tool-guard.js';

export const analyzeCodebasePolicy: ToolPolicy = { name: 'analyze_codebase', scope: 'read', toolset: 'duplicates' };

/** Largest clone classes shown with the summary. */
const OFFENDERS = 5;

const input = {
  project: projectField,
  waitSeconds: z
    .number()
    .int()
    .min(0)
    .max(600)
    .default(60)
    .describe('How long to wait for the analysis to finish; if it runs longer, call again later to get the result'),
};

const output = {
  project: z.string().describe('The project'),
  analysisId: z.string().describe('The analysis'),
  status: z.enum(['queued', 'running', 'done', 'failed']).describe('done once the summary is there'),
  reused: z.boolean().describe('True when an analysis of the same revision already existed'),
  revision: z.number().int().describe('Project revision analysed'),
  filesDone: z.number().int().describe('Files analysed so far'),
  filesTotal: z.number().int().describe('Files to analyse'),
  summary: z
    .object({
      files: z.number().int().describe('Files analysed'),
      cloneClasses: z.number().int().describe('Groups of copies found'),
      duplicatedLines: z.number().int().describe('Lines inside a copy'),
      duplicationPercent: z.number().describe('Share of lines inside a copy, in percent'),
    })
    .optional()
    .describe('Once done'),
  largestClasses: z.array(CompactCloneClass).describe(`The ${OFFENDERS} largest clone classes: the worst offenders`),
  next: z.string().describe('How to get the details'),
};

export function registerAnalyzeCodebaseTool(server: McpServer, session: McpSession): void {
  server.registerTool(
    analyzeCodebasePolicy.name,
    {
      title: 'Analyze codebase',
      description:
        "Duplication report of a whole project: starts an analysis (or reuses the one of the project's current state) and returns files, clone classes, duplication % and the largest clone classes. Long runs report progress.",
      inputSchema: input,
      outputSchema: output,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    guarded(session, analyzeCodebasePolicy, async (args, call, extra) => {
      const { services } = session;
      const started = await startOrReuseAnalysis(services, call.tenantId, call.project);
      const progressToken = extra._meta?.progressToken;
      const analysis = await waitForAnalysis(
        services,
        call.tenantId,
        started.analysis,
        args.waitSeconds * 1000,
        extra.signal,
        async (seen) => {
          if (progressToken === undefined) return;
          const { filesDone, filesTotal } = seen.progress;
          await extra.sendNotification({
            method: 'notifications/progress',
            params: { progressToken, progress: filesDone, total: filesTotal, message: `${filesDone} of ${filesTotal} files analysed` },
          });
        },
      );
      const done = analysis.status === 'done' && analysis.summary !== undefined;
      const largest = done ? await listClones(services, call.tenantId, call.project, { limit: OFFENDERS }) : undefined;
      return {
        project: call.project,
        analysisId: analysis.id,
        status: analysis.status,
        reused: started.reused,
        revision: analysis.revision,
        filesDone: analysis.progress.filesDone,
        filesTotal: analysis.progress.filesTotal,
        ...(done && analysis.summary
          ? {
              summary: {
                files: analysis.summary.files,
                cloneClasses: analysis.summary.cloneClasses,
                duplicatedLines: analysis.summary.duplicatedLines,
                duplicationPercent: Math.round(analysis.summary.duplication * 1000) / 10,
              },
            }
          : {}),
        largestClasses: largest ? largest.classes.map(compactClass) : [],
        next: done
          ? 'find_duplicates pages through every clone class (filter by folder or file); get_file_findings shows one file.'
          : analysis.status === 'failed'
            ? `The analysis failed: ${analysis.error ?? 'see the server log'}. Call again to start another.`
            : 'Still running: call analyze_codebase again to get the result (it reuses this analysis).',
      };
    }),
  );
}
