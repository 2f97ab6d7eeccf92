/**
 * A deterministic synthetic code base for the fault tests: many small TypeScript and JavaScript
 * files of random (but seeded) code, with a known number of functions planted in several files
 * each, verbatim or with renamed identifiers (and, in JavaScript files, without type annotations),
 * so the analysis finds clone classes of every type.
 *
 * The code is built from random expression trees rather than a handful of statement templates:
 * clone detection normalises identifiers and literals away, so templates alone would make most
 * files look alike; random operators, calls and nesting keep unrelated code unrelated.
 */

export interface CorpusFile {
  readonly path: string;
  readonly content: string;
}

export interface CorpusOptions {
  readonly seed: number;
  readonly files: number;
  /** Functions planted in 2–4 files each. */
  readonly planted: number;
}

/** mulberry32: a small, fast, seeded generator; the same seed gives the same corpus everywhere. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'tu', 'sa', 'vek', 'dor', 'pi', 'nal', 'zu', 'bre', 'fin', 'go', 'ix', 'qua'];
const BINARY = ['+', '-', '*', '/', '%', '<', '>', '<=', '>=', '===', '!==', '&&', '||', '??', '&', '|', '^', '<<'];
const ASSIGN = ['=', '+=', '-=', '*=', '||=', '??='];

/** Writes code with identifier slots (`§<n>§`) so a copy can rename every identifier consistently. */
class CodeWriter {
  private slots = 0;

  constructor(readonly next: () => number) {}

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A fresh identifier slot; `reuse` picks one of the slots made so far instead. */
  ident(reuse = false): string {
    const slot = reuse && this.slots > 0 ? this.int(0, this.slots - 1) : this.slots++;
    return `§${slot}§`;
  }

  literal(): string {
    const kind = this.int(0, 3);
    if (kind === 0) return String(this.int(0, 9999));
    if (kind === 1) return `'${this.word()}'`;
    if (kind === 2) return this.pick(['true', 'false', 'null']);
    return `${this.int(0, 99)}.${this.int(0, 99)}`;
  }

  word(): string {
    let word = '';
    for (let i = this.int(2, 4); i > 0; i--) word += this.pick(SYLLABLES);
    return word;
  }

  expr(depth: number): string {
    if (depth <= 0 || this.next() < 0.2) return this.next() < 0.6 ? this.ident(true) : this.literal();
    switch (this.int(0, 7)) {
      case 0:
      case 1:
        return `${this.expr(depth - 1)} ${this.pick(BINARY)} ${this.expr(depth - 1)}`;
      case 2: {
        const args = Array.from({ length: this.int(0, 3) }, () => this.expr(depth - 1));
        return `${this.ident(true)}(${args.join(', ')})`;
      }
      case 3:
        return `${this.ident(true)}.${this.ident(true)}${this.next() < 0.5 ? `[${this.expr(depth - 1)}]` : ''}`;
      case 4:
        return `(${this.expr(depth - 1)} ? ${this.expr(depth - 1)} : ${this.expr(depth - 1)})`;
      case 5:
        return `[${Array.from({ length: this.int(1, 3) }, () => this.expr(depth - 1)).join(', ')}]`;
      case 6:
        return `${this.pick(['!', '-', 'typeof ', '~'])}${this.expr(depth - 1)}`;
      default:
        return `{ ${this.ident(true)}: ${this.expr(depth - 1)}, ${this.ident(true)}: ${this.expr(depth - 1)} }`;
    }
  }

  statements(indent: string, count: number, depth: number): string[] {
    const lines: string[] = [];
    for (let i = 0; i < count; i++) {
      const kind = depth > 0 ? this.int(0, 6) : this.int(0, 3);
      if (kind === 0) lines.push(`${indent}const ${this.ident()} = ${this.expr(3)};`);
      else if (kind === 1) lines.push(`${indent}let ${this.ident()} = ${this.expr(2)};`);
      else if (kind === 2) lines.push(`${indent}${this.ident(true)} ${this.pick(ASSIGN)} ${this.expr(3)};`);
      else if (kind === 3) lines.push(`${indent}${this.ident(true)}(${this.expr(2)}, ${this.expr(2)});`);
      else if (kind === 4) {
        lines.push(`${indent}if (${this.expr(2)}) {`, ...this.statements(`${indent}  `, this.int(1, 3), depth - 1));
        if (this.next() < 0.5) lines.push(`${indent}} else {`, ...this.statements(`${indent}  `, this.int(1, 2), depth - 1));
        lines.push(`${indent}}`);
      } else if (kind === 5) {
        const i = this.ident();
        lines.push(
          `${indent}for (let ${i} = 0; ${i} < ${this.expr(1)}; ${i}++) {`,
          ...this.statements(`${indent}  `, this.int(1, 3), depth - 1),
        );
        lines.push(`${indent}}`);
      } else {
        lines.push(`${indent}while (${this.expr(2)}) {`, ...this.statements(`${indent}  `, this.int(1, 2), depth - 1), `${indent}  break;`);
        lines.push(`${indent}}`);
      }
    }
    return lines;
  }

  /** A function with identifier slots; `typed` adds TypeScript parameter types. */
  func(typed: boolean, statements: number, depth: number): string {
    const name = this.ident();
    const params = Array.from(
      { length: this.int(1, 3) },
      () => this.ident() + (typed ? `: ${this.pick(['number', 'string', 'unknown'])}` : ''),
    );
    const body = this.statements('  ', statements, depth);
    return [`export function ${name}(${params.join(', ')}) {`, ...body, `  return ${this.expr(2)};`, '}'].join('\n');
  }
}

/** Fills identifier slots with names: a consistent renaming per call. */
function render(code: string, name: (slot: number) => string): string {
  return code.replace(/§(\d+)§/g, (_, slot: string) => name(Number(slot)));
}

/** The corpus for `options`: the same files, in the same order, for the same options. */
export function syntheticCorpus(options: CorpusOptions): CorpusFile[] {
  const next = random(options.seed);
  const writer = (): CodeWriter => new CodeWriter(next);
  const picker = writer();
  // Planted functions: long enough to be reported (well over 50 tokens and 5 lines).
  const plantedIn = new Map<number, string[]>();
  for (let p = 0; p < options.planted; p++) {
    const code = writer().func(true, picker.int(8, 12), 2);
    const copies = picker.int(2, 4);
    const renamed = picker.next() < 0.4;
    for (let c = 0; c < copies; c++) {
      const file = picker.int(0, options.files - 1);
      // The first copy keeps the original names; in a renamed class the others get their own.
      const names = c > 0 && renamed ? `r${p}_${c}_` : `p${p}_`;
      const text = render(code, (slot) => `${names}${slot}`);
      plantedIn.set(file, [...(plantedIn.get(file) ?? []), c > 0 && renamed ? text.replace(/: (number|string|unknown)/g, '') : text]);
    }
  }
  const files: CorpusFile[] = [];
  for (let f = 0; f < options.files; f++) {
    const own = writer();
    const typed = own.next() < 0.7;
    const parts = [
      `// Generated module ${f}: seeded synthetic code for the fault tests.`,
      `import { helper${f % 97} } from '../shared/helpers';`,
    ];
    for (let i = own.int(1, 2); i > 0; i--) {
      const code = own.func(typed, own.int(2, 5), 1);
      const prefix = `${own.word()}${f}_`;
      parts.push(render(code, (slot) => `${prefix}${slot}`));
    }
    parts.push(...(plantedIn.get(f) ?? []).map((text) => (typed ? text : text.replace(/: (number|string|unknown)/g, ''))));
    const dir = `src/area${String(f % 40).padStart(2, '0')}/mod${String(Math.floor(f / 40) % 50).padStart(2, '0')}`;
    files.push({ path: `${dir}/file${String(f).padStart(5, '0')}.${typed ? 'ts' : 'js'}`, content: `${parts.join('\n\n')}\n` });
  }
  return files;
}
