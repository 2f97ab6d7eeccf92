import { readFile } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import { prepareFile } from '../engine/prepare-file.js';
import { languageForPath } from '../engine/lexing/languages.js';
import type { SymbolKind } from '../engine/symbols/extract-symbols.js';
import { analyzeDirectory, type AnalysisResult } from './analyze-directory.js';
import { existingDirectory, UsageError } from './analyze-command.js';

/** Discovery and scanning flags shared by every command that reads a folder. */
export interface ScanFlags {
  ignore?: string[];
  defaultIgnores: boolean;
  gitignore: boolean;
  threads?: number;
  maxFileBytes: number;
  format: 'text' | 'json';
}

async function scan(dir: string, flags: ScanFlags, symbols: boolean): Promise<AnalysisResult> {
  const root = await existingDirectory(dir);
  return analyzeDirectory({
    root,
    ignore: flags.ignore,
    defaultIgnores: flags.defaultIgnores,
    gitignore: flags.gitignore,
    threads: flags.threads,
    maxBytes: flags.maxFileBytes,
    symbols,
  });
}

const print = (format: 'text' | 'json', json: unknown, text: string[]): void => {
  process.stdout.write(format === 'json' ? `${JSON.stringify(json, null, 2)}\n` : `${text.join('\n')}\n`);
};

/** `auxil symbols <dir> <query>`: fuzzy search over the folder's functions, classes, types and more. */
export async function symbolsCommand(dir: string, query: string, flags: ScanFlags & { kind?: SymbolKind[]; limit: number }): Promise<void> {
  const { model } = await scan(dir, flags, true);
  const matches = model.searchSymbols(query, { limit: flags.limit, kinds: flags.kind });
  print(
    flags.format,
    matches.map(({ path, symbol, score }) => ({ path, ...symbol, score })),
    matches.length === 0
      ? [`No symbol matches "${query}".`]
      : matches.map(
          ({ path, symbol }) =>
            `${symbol.kind.padEnd(9)} ${symbol.container ? `${symbol.container}.` : ''}${symbol.name}  ${path}:${symbol.startLine}`,
        ),
  );
}

/** `auxil conventions <dir>`: the rules the codebase follows, and every place that breaks one. */
export async function conventionsCommand(dir: string, flags: ScanFlags): Promise<void> {
  const result = await scan(dir, flags, true);
  const conventions = result.model.conventions();
  const paths = [...result.model.clones.paths()].sort();
  const deviations = paths.flatMap((path) => result.model.deviations(path));
  print(flags.format, { conventions, deviations }, [
    `${conventions.length} conventions followed by at least 90% of their samples:`,
    ...conventions.map((c) => `  ${c.id}: ${c.expected} (${c.count} of ${c.total}, ${Math.round(c.share * 100)}%)`),
    '',
    `${deviations.length} deviations:`,
    ...deviations.map((d) => `  ${d.path}:${d.line}: ${d.message}`),
  ]);
}

/**
 * `auxil similar <dir> [--file F | stdin]`: does code like this already exist? The snippet's
 * language comes from `--language` (an extension such as ts or py) or the file's extension.
 */
export async function similarCommand(dir: string, flags: ScanFlags & { file?: string; language?: string; limit: number }): Promise<void> {
  const extension = flags.language ?? flags.file?.split('.').pop();
  if (!extension || !languageForPath(`snippet.${extension}`)) {
    throw new UsageError(
      'say which language the snippet is in: --language ts|js|py|java|go|cs|c|cpp|rs|kt|php|rb (or pass --file with an extension)',
    );
  }
  const text = flags.file ? await readFile(flags.file, 'utf8').catch(() => undefined) : await readStdin();
  if (text === undefined) throw new UsageError(`cannot read ${flags.file ?? 'standard input'}`);
  const result = await scan(dir, flags, false);
  const record = prepareFile(`snippet.${extension}`, text, result.model.clones.options);
  const root = resolve(dir);
  const inside = flags.file ? relative(root, resolve(flags.file)).split(sep).join('/') : undefined;
  const matches = record ? result.model.similarTo(record, { limit: flags.limit, excludePath: inside }) : [];
  print(
    flags.format,
    matches,
    matches.length === 0
      ? ['No similar code found.']
      : matches.map(
          (m) => `${m.path}:${m.startLine}-${m.endLine}  type ${m.type}, ${Math.round(m.similarity * 100)}% similar, ${m.tokens} tokens`,
        ),
  );
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
