import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { npmInstall } from '../corpus/npm-install.js';
import { readJscpdReportFile } from '../scoring/report-files.js';
import { measureToolRun, type RunSettings, type ToolRun } from './tool-run.js';

export const JSCPD_VERSION = '5.3.2';

/** jscpd's two configurations: its default (exact clones only) and the one that looks for Type-2/3 too. */
export type JscpdMode = 'default' | 'recall';

export const JSCPD_RECALL_FLAGS: readonly string[] = [
  '--ignore-identifiers',
  '--ignore-literals',
  '--max-gap-lines',
  '3',
  '--similarity',
  '0.8',
];

/**
 * Installs jscpd 5.3.2 into `bench/.tools` (its own package.json, so the repository's lockfile is
 * untouched) unless it is already there, and returns the path of its launcher. 5.3.2 exactly: the
 * 5.4 line's platform binary package is missing from the registry.
 */
export function ensureJscpd(toolsDir: string, log: (line: string) => void): string {
  const launcher = join(toolsDir, 'node_modules', 'jscpd', 'run-jscpd.js');
  const installed = (): boolean => {
    try {
      const json = JSON.parse(readFileSync(join(toolsDir, 'node_modules', 'jscpd', 'package.json'), 'utf8')) as { version?: string };
      return json.version === JSCPD_VERSION && existsSync(launcher);
    } catch {
      return false;
    }
  };
  if (installed()) return launcher;
  mkdirSync(toolsDir, { recursive: true });
  const manifest = join(toolsDir, 'package.json');
  if (!existsSync(manifest)) writeFileSync(manifest, `${JSON.stringify({ name: 'auxil-bench-tools', private: true }, null, 2)}\n`);
  log(`installing jscpd@${JSCPD_VERSION} into ${toolsDir} …`);
  if (!npmInstall(toolsDir, ['-E', `jscpd@${JSCPD_VERSION}`]) || !installed())
    throw new Error(`could not install jscpd@${JSCPD_VERSION} into ${toolsDir}`);
  return launcher;
}

/**
 * The jscpd command for a mode. `--no-gitignore`: the corpus lies in a git-ignored folder and jscpd
 * would otherwise skip all of it. `--format` names jscpd's four JavaScript/TypeScript formats,
 * which cover every extension of the corpus (.js .mjs .cjs .jsx .ts .mts .cts .tsx); `--max-size
 * 1mb` is jscpd's default, stated so that the file set is visibly the corpus's (all files < 1 MB).
 */
export function jscpdArgs(launcher: string, mode: JscpdMode, settings: RunSettings, outputDir: string): string[] {
  return [
    process.execPath,
    launcher,
    settings.tree,
    '--min-tokens',
    String(settings.minTokens),
    '--min-lines',
    String(settings.minLines),
    '--format',
    'javascript,jsx,typescript,tsx',
    '--max-size',
    '1mb',
    '--no-gitignore',
    '--reporters',
    'json',
    '--output',
    outputDir,
    '--silent',
    '--no-tips',
    ...(mode === 'recall' ? JSCPD_RECALL_FLAGS : []),
  ];
}

/** Runs jscpd once, measured, and reads its JSON report. */
export async function runJscpd(launcher: string, mode: JscpdMode, settings: RunSettings): Promise<ToolRun> {
  const key = `jscpd-${mode}`;
  const label = mode === 'default' ? `jscpd ${JSCPD_VERSION} default` : `jscpd ${JSCPD_VERSION} recall flags`;
  const outputDir = join(settings.outputDir, key);
  mkdirSync(outputDir, { recursive: true });
  return measureToolRun({
    key,
    label,
    argv: jscpdArgs(launcher, mode, settings, outputDir),
    settings,
    reportFile: join(outputDir, 'jscpd-report.json'),
    noReport: 'no jscpd-report.json written',
    readReport: readJscpdReportFile,
  });
}
