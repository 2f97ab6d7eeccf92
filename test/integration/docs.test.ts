import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { configEntries } from '@auxil/backend';
import { ErrorCode } from '@auxil/protocol';

const doc = (name: string): string => readFileSync(new URL(`../../docs/${name}`, import.meta.url), 'utf8');

/** The cells of every Markdown table row in a document, trimmed. */
const tableRows = (text: string): string[][] =>
  text
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );

test('docs/configuration.md documents every setting with its environment variable and default', () => {
  const rows = tableRows(doc('configuration.md'));
  for (const [key, entry] of Object.entries(configEntries)) {
    const row = rows.find((cells) => cells[0] === key)?.join(' | ');
    assert.ok(row, `configuration.md has a row for ${key}`);
    assert.ok(row.includes(`\`${entry.env}\``), `${key}'s row names ${entry.env}`);
    const fallback: unknown = 'docDefault' in entry ? entry.docDefault : entry.schema.parse(undefined);
    assert.ok(row.includes(`\`${String(fallback)}\``), `${key}'s row shows its default ${String(fallback)}`);
  }
});

test('docs/api.md lists every error code the API can return', () => {
  const documented = new Set(tableRows(doc('api.md')).map((cells) => cells[0]));
  for (const code of ErrorCode.options) assert.ok(documented.has(`\`${code}\``), `api.md documents ${code}`);
});
