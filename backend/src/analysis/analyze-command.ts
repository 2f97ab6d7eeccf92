import { createWriteStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyzeDirectory } from './analyze-directory.js';
import { changedSince, classesTouching, GitError, gitTopLevel } from './changed-lines.js';
import { jsonReportText, sarifReport, textReport, type SarifRoot } from './reports.js';
import type { CloneType } from '../engine/clones/options.js';

export interface AnalyzeFlags {
  format: 'text' | 'json' | 'sarif';
  output?: string;
  minTokens: number;
  minLines: number;
  types: CloneType[];
  ignore?: string[];
  threshold?: number;
  changedSince?: string;
  defaultIgnores: boolean;
  gitignore: boolean;
  minSimilarity: number;
  threads?: number;
  maxFileBytes: number;
}

/** A usage problem: reported on stderr with exit code 2. */
export class UsageError extends Error {}

/** The absolute path of `dir`, which must be an existing directory. */
export async function existingDirectory(dir: string): Promise<string> {
  const root = resolve(dir);
  const info = await stat(root).catch(() => undefined);
  if (!info) throw new UsageError(`${dir} does not exist`);
  if (!info.isDirectory()) throw new UsageError(`${dir} is not a directory`);
  return root;
}

/** Writes the report to a file (`--output`) or standard output, chunk by chunk, minding backpressure. */
async function writeOutput(chunks: Iterable<string>, file: string | undefined): Promise<void> {
  const stream = file === undefined ? process.stdout : createWriteStream(file);
  const failed = new Promise<never>((_, reject) => {
    stream.once('error', (error: Error) =>
      reject(new UsageError(`cannot write ${file ? `--output ${file}` : 'to standard output'}: ${error.message}`)),
    );
  });
  const write = async (): Promise<void> => {
    for (const chunk of chunks) if (!stream.write(chunk)) await once(stream, 'drain');
    if (file !== undefined) await new Promise<void>((resolve) => stream.end(resolve));
  };
  await Promise.race([write(), failed]);
}

/** SARIF paths are relative to the repository root when the folder is in a git work tree. */
async function sarifRoot(root: string): Promise<SarifRoot> {
  const top = await gitTopLevel(root);
  const prefix =
    top === undefined
      ? ''
      : relative(await realpath(top), await realpath(root))
          .split(sep)
          .join('/');
  return top === undefined || prefix.startsWith('..')
    ? { uri: pathToFileURL(root).href, prefix: '' }
    : { uri: pathToFileURL(top).href, prefix };
}

/**
 * `auxil analyze <dir>`: a full analysis, written as text, JSON or SARIF. Returns the exit code:
 * 0, or 1 when the duplicated share of lines exceeds `--threshold`.
 */
export async function analyzeCommand(dir: string, flags: AnalyzeFlags): Promise<number> {
  const root = await existingDirectory(dir);
  let changed;
  if (flags.changedSince !== undefined) {
    try {
      changed = await changedSince(root, flags.changedSince);
    } catch (error) {
      if (error instanceof GitError) throw new UsageError(`--changed-since: ${error.message}`);
      throw error;
    }
  }
  const result = await analyzeDirectory({
    root,
    minTokens: flags.minTokens,
    minLines: flags.minLines,
    types: flags.types,
    minSimilarity: flags.minSimilarity,
    ignore: flags.ignore,
    defaultIgnores: flags.defaultIgnores,
    gitignore: flags.gitignore,
    threads: flags.threads,
    maxBytes: flags.maxFileBytes,
  });
  const classes = changed ? classesTouching(result.classes, changed) : result.classes;
  const output: Iterable<string> =
    flags.format === 'json'
      ? jsonReportText(result, dir, classes)
      : flags.format === 'sarif'
        ? [`${JSON.stringify(sarifReport(result, await sarifRoot(root), classes), null, 2)}\n`]
        : [textReport(result, classes)];
  await writeOutput(output, flags.output);
  const percent = result.lines === 0 ? 0 : (100 * result.duplicatedLines) / result.lines;
  if (flags.threshold !== undefined && percent > flags.threshold) {
    process.stderr.write(`auxil: ${percent.toFixed(2)}% of lines are duplicated, above the threshold of ${flags.threshold}%\n`);
    return 1;
  }
  return 0;
}
