import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { commandTitles, manifestContributions, settings } from '../src/settings.js';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  contributes: unknown;
  engines: { vscode: string };
  main: string;
};

test("package.json's contributed settings and commands match their one declaration in settings.ts", () => {
  assert.deepEqual(manifest.contributes, JSON.parse(JSON.stringify(manifestContributions())));
});

test('the extension targets a VS Code that code-server 4.100 (VS Code 1.100) can run', () => {
  assert.equal(manifest.engines.vscode, '^1.100.0');
  assert.equal(manifest.main, './dist/extension.js');
});

test('docs/vscode.md documents every setting and command', () => {
  const text = readFileSync(new URL('../../docs/vscode.md', import.meta.url), 'utf8');
  for (const key of Object.keys(settings)) assert.ok(text.includes(`\`${key}\``), `vscode.md documents ${key}`);
  for (const title of Object.values(commandTitles)) assert.ok(text.includes(`**Auxil: ${title}**`), `vscode.md documents "${title}"`);
});
