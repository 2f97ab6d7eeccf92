import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { configEntries } from '@auxil/backend';
import { ErrorCode } from '@auxil/protocol';

const doc = (name: string): string => readFileSync(new URL(`../../docs/${name}`, import.meta.url), 'utf8');

test('docs/configuration.md documents every setting with its environment variable and default', () => {
  const text = doc('configuration.md');
  for (const [key, entry] of Object.entries(configEntries)) {
    const row = text.split('\n').find((line) => line.startsWith(`| ${key} |`));
    assert.ok(row, `configuration.md has a row for ${key}`);
    assert.ok(row.includes(`\`${entry.env}\``), `${key}'s row names ${entry.env}`);
    const fallback: unknown = entry.schema.parse(undefined);
    assert.ok(row.includes(`\`${String(fallback)}\``), `${key}'s row shows its default ${String(fallback)}`);
  }
});

test('docs/api.md lists every error code the API can return', () => {
  const text = doc('api.md');
  for (const code of ErrorCode.options) assert.ok(text.includes(`| \`${code}\` |`), `api.md documents ${code}`);
});
