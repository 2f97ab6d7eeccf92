// Bundles the language server and the extension with esbuild, so what ships is one file per
// process with no workspace links: `node scripts/bundle.js language-server|extension`.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  absWorkingDir: root,
  // ws loads these native accelerators only if present; without them it uses plain JavaScript.
  external: ['bufferutil', 'utf-8-validate'],
};

const languageServer = (outfile) => ({ ...common, entryPoints: ['language-server/src/server.ts'], outfile });

// Webview pages run in the browser: one script and one stylesheet per page, nothing loaded at run time.
const webviewPage = (page, outdir) => ({
  ...common,
  platform: 'browser',
  target: 'chrome120',
  format: 'iife',
  minify: true,
  external: [],
  entryPoints: { [page]: `webviews/src/${page}/main.ts`, [`${page}-style`]: `webviews/src/${page}/${page}.css` },
  outdir,
});

const targets = {
  'language-server': [languageServer('language-server/dist/server.cjs')],
  webviews: [webviewPage('dashboard', 'webviews/dist')],
  extension: [
    {
      ...common,
      entryPoints: ['extension/src/extension.ts'],
      outfile: 'extension/dist/extension.js',
      external: [...common.external, 'vscode'],
    },
    // The extension carries its own copy of the server, so the .vsix works without the monorepo.
    languageServer('extension/dist/server.js'),
    // ...and of the webview pages it hosts.
    webviewPage('dashboard', 'extension/dist/webviews'),
  ],
};

const name = process.argv[2];
if (!(name in targets)) {
  console.error(`usage: node scripts/bundle.js ${Object.keys(targets).join('|')}`);
  process.exit(2);
}
await Promise.all(targets[name].map((options) => build(options)));
