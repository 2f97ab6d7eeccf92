import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readAuxilReportFile } from '../scoring/report-files.js';
import { measureToolRun, shellQuote, type RunSettings, type ToolRun } from './tool-run.js';

/**
 * The Auxil command line for a full analysis with Type-1, -2 and -3 detection on. Like jscpd's,
 * it must read every corpus file: `--no-gitignore` because the corpus lies in a git-ignored folder
 * (Auxil honours the .gitignore files of parent folders), `--no-default-ignores` because three
 * corpus files are named `*.bundle.js`, which Auxil skips by default.
 */
export function auxilArgs(cli: string, settings: RunSettings, reportFile: string): string[] {
  return [
    process.execPath,
    cli,
    'analyze',
    settings.tree,
    '--format',
    'json',
    '--output',
    reportFile,
    '--min-tokens',
    String(settings.minTokens),
    '--min-lines',
    String(settings.minLines),
    '--types',
    '1,2,3',
    '--no-gitignore',
    '--no-default-ignores',
  ];
}

/**
 * Why Auxil's `analyze` command cannot be run, or undefined when it can: the built CLI must exist
 * and answer `analyze --help`. Nothing is measured for a CLI that is not there.
 */
export function auxilUnavailable(cli: string): string | undefined {
  if (!existsSync(cli)) return `Auxil's CLI is not built (${cli} is missing; run npm run build)`;
  const help = spawnSync(process.execPath, [cli, 'analyze', '--help'], { encoding: 'utf8', timeout: 30_000 });
  if (help.status !== 0) return `Auxil's CLI has no analyze command yet (\`auxil analyze --help\` exited ${String(help.status)})`;
  return undefined;
}

/** Runs `auxil analyze` once, measured, and reads its JSON report. */
export async function runAuxil(cli: string, settings: RunSettings): Promise<ToolRun> {
  const key = 'auxil';
  const label = 'Auxil analyze (types 1,2,3)';
  const outputDir = join(settings.outputDir, key);
  mkdirSync(outputDir, { recursive: true });
  const reportFile = join(outputDir, 'auxil-report.json');
  const argv = auxilArgs(cli, settings, reportFile);
  const unavailable = auxilUnavailable(cli);
  if (unavailable !== undefined) return { key, label, status: 'unavailable', command: shellQuote(argv), message: unavailable };
  return measureToolRun({ key, label, argv, settings, reportFile, noReport: 'no report written', readReport: readAuxilReportFile });
}
