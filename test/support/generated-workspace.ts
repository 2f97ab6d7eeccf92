import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fixturePath } from './temp.js';

/** The two files of a generated workspace that share a function (copied from the duplicate-workspace fixture). */
export const PLANTED = ['src/planted/pricing.ts', 'src/planted/checkout.ts'] as const;
/** Files per generated folder. */
const PER_FOLDER = 100;

/** A small module of its own: too short to be a clone of anything, different from every other one. */
export function uniqueModule(n: number, variant = ''): string {
  return `export function value${n}(input: number): number {\n  return input * ${n} + ${n % 7};\n}\n${variant}`;
}

export function generatedPath(n: number): string {
  return `src/m${Math.floor(n / PER_FOLDER)}/value${n}.ts`;
}

/**
 * Writes a workspace of `files` TypeScript files: `files - 2` unique small modules in folders of a
 * hundred, and the two planted files that duplicate each other. Returns the bytes written. A
 * `variant` (a comment line) gives the small modules contents no other variant's workspace has.
 */
export async function generateWorkspace(root: string, files: number, variant = ''): Promise<number> {
  let bytes = 0;
  const write = async (path: string, text: string) => {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
    bytes += Buffer.byteLength(text);
  };
  const [pricing, checkout] = await Promise.all(
    ['pricing.ts', 'checkout.ts'].map((name) => readFile(join(fixturePath('duplicate-workspace'), 'src', name), 'utf8')),
  );
  await write(PLANTED[0], pricing as string);
  await write(PLANTED[1], checkout as string);
  for (let n = 0; n < files - 2; n++) await write(generatedPath(n), uniqueModule(n, variant));
  return bytes;
}
