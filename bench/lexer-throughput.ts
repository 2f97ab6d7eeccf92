// Measures the engine's JavaScript/TypeScript lexing throughput, single-threaded:
//   node --import tsx bench/lexer-throughput.ts [dir] [--passes N]
// Every .ts/.js file under `dir` (default: this repository's node_modules) is read into memory
// first, skipping *.min.js and files over 1 MB; then all of them are lexed once to warm up and
// N more times (default 5). Prints files/s and MB/s (UTF-8 bytes on disk) for the best and the
// median pass: on a shared machine the best pass is the one least disturbed by other processes.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isJsx, languageForPath } from '../backend/src/engine/lexing/languages.js';
import { lex } from '../backend/src/engine/lexing/lex.js';
import type { LanguageId } from '../backend/src/engine/lexing/tokens.js';

const MAX_BYTES = 1 << 20;

interface SourceFile {
  readonly path: string;
  readonly text: string;
  readonly bytes: number;
  readonly language: LanguageId;
  readonly jsx: boolean;
}

function collect(dir: string, out: SourceFile[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) collect(path, out);
    else if (entry.isFile() && /\.(ts|js)$/.test(entry.name) && !entry.name.endsWith('.min.js')) {
      const bytes = statSync(path).size;
      const language = languageForPath(path);
      if (bytes > MAX_BYTES || language === undefined) continue;
      out.push({ path, text: readFileSync(path, 'utf8'), bytes, language, jsx: isJsx(path) });
    }
  }
}

function parseArgs(argv: readonly string[]): { dir: string; passes: number } {
  let dir = fileURLToPath(new URL('../node_modules', import.meta.url));
  let passes = 5;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--passes') passes = Math.max(1, Number(argv[++i]));
    else dir = arg;
  }
  return { dir, passes };
}

function lexAll(files: readonly SourceFile[]): number {
  let tokens = 0;
  for (const file of files) tokens += lex(file.text, file.language, { jsx: file.jsx }).count;
  return tokens;
}

const { dir, passes } = parseArgs(process.argv.slice(2));
const files: SourceFile[] = [];
collect(dir, files);
const bytes = files.reduce((sum, file) => sum + file.bytes, 0);
console.log(`${files.length} files, ${(bytes / 1e6).toFixed(1)} MB under ${dir}`);

const tokens = lexAll(files);
const times: number[] = [];
for (let pass = 0; pass < passes; pass++) {
  const started = performance.now();
  lexAll(files);
  const ms = performance.now() - started;
  times.push(ms);
  console.log(`pass ${pass + 1}: ${ms.toFixed(0)} ms`);
}
const sorted = [...times].sort((a, b) => a - b);
const report = (label: string, ms: number): void => {
  const seconds = ms / 1000;
  console.log(
    `${label}: ${(files.length / seconds).toFixed(0)} files/s, ${(bytes / 1e6 / seconds).toFixed(1)} MB/s, ` +
      `${(tokens / seconds / 1e6).toFixed(1)} M tokens/s`,
  );
};
console.log(`${tokens} tokens per pass`);
report('best', sorted[0]!);
report('median', sorted[Math.floor(sorted.length / 2)]!);
