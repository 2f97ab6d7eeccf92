import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { commands } from '../src/commands.js';
import { manifestContributions } from '../src/contributions.js';
import { settings } from '../src/settings.js';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  contributes: ReturnType<typeof manifestContributions>;
  engines: { vscode: string };
  main: string;
};

test("package.json's contributed commands, settings, views and menus match their one declaration (npm run manifest -w extension rewrites them)", () => {
  assert.deepEqual(manifest.contributes, JSON.parse(JSON.stringify(manifestContributions())));
});

test('every menu entry and welcome link names a declared command', () => {
  const declared = new Set(Object.keys(commands));
  const menus = Object.values(manifest.contributes.menus).flat();
  for (const entry of menus) assert.ok(declared.has(entry.command), `${entry.command} is declared`);
  for (const welcome of manifest.contributes.viewsWelcome) {
    for (const [, id] of welcome.contents.matchAll(/\(command:([\w.]+)\)/g)) assert.ok(declared.has(id as string), `${id} is declared`);
  }
});

test('the extension targets a VS Code that code-server 4.100 (VS Code 1.100) can run', () => {
  assert.equal(manifest.engines.vscode, '^1.100.0');
  assert.equal(manifest.main, './dist/extension.js');
});

test('docs/vscode.md documents every setting and every command of the palette', () => {
  const text = readFileSync(new URL('../../docs/vscode.md', import.meta.url), 'utf8');
  for (const key of Object.keys(settings)) assert.ok(text.includes(`\`${key}\``), `vscode.md documents ${key}`);
  for (const declaration of Object.values(commands)) {
    if ('internal' in declaration) continue;
    assert.ok(text.includes(`**Auxil: ${declaration.title}**`), `vscode.md documents "${declaration.title}"`);
  }
});
