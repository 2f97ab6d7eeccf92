#!/bin/bash
# Vendored from the team recipes (shared/recipes/install-code-server.sh) so a fresh clone needs nothing else.
# Offline-friendly install of code-server 4.100.3 (last release whose engines allow Node 20) into $1
# Needs: apt-get install -y ripgrep libkrb5-dev (build-essential/python3 already present)
set -euo pipefail
DEST=${1:?dest dir}; mkdir -p "$DEST"; cd "$DEST"
[ -f package.json ] || echo '{"name":"cs-host","private":true}' > package.json
npm i -E code-server@4.100.3 --ignore-scripts            # postinstall would need --unsafe-perm and downloads ripgrep
npm rebuild argon2                                        # code-server's own native dep (prebuilt download fails -> compiles)
cd node_modules/code-server/lib/vscode
npm install --omit=dev --ignore-scripts                   # VS Code server deps (from its npm-shrinkwrap.json)
npm rebuild kerberos native-watchdog @vscode/spdlog @vscode/deviceid @parcel/watcher node-pty --foreground-scripts || true  # node-pty's postinstall fails on 'npx node-gyp' (npm yes=false) AFTER pty.node is built
test -f node_modules/node-pty/build/Release/pty.node
mkdir -p node_modules/@vscode/ripgrep/bin && cp /usr/bin/rg node_modules/@vscode/ripgrep/bin/rg   # instead of GitHub download
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sfn code-linux.sh code-server)
(cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
cd extensions && npm install --omit=dev && cd ..
echo "code-server ready: $DEST/node_modules/.bin/code-server"
