// Writes package.json's `contributes` from the declarations in src/ (commands.ts, settings.ts,
// contributions.ts): `npm run manifest -w extension` after changing any of them.
import { readFileSync, writeFileSync } from 'node:fs';
import { manifestContributions } from '../src/contributions.js';

const path = new URL('../package.json', import.meta.url);
const manifest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
manifest.contributes = manifestContributions();
writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
