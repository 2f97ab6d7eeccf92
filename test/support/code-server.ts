import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';

const run = promisify(execFile);

/** Where `.ci/run` installs code-server (see .ci/install-code-server.sh); AUXIL_CODE_SERVER overrides it. */
export const codeServerBinary =
  process.env.AUXIL_CODE_SERVER ?? fileURLToPath(new URL('../../.cache/code-server/node_modules/.bin/code-server', import.meta.url));

export const chromiumBinary = process.env.AUXIL_CHROMIUM ?? '/usr/bin/chromium';

/** Headless Chromium as the recipe runs it: no sandbox (root in CI), no GPU, nothing reaching the network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumBinary,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** Why the end-to-end tests cannot run on this machine, or undefined when they can. */
export function missingE2eParts(): string | undefined {
  if (!existsSync(codeServerBinary))
    return `code-server is not installed at ${codeServerBinary} (run .ci/run, or .ci/install-code-server.sh .cache/code-server)`;
  return missingChromium();
}

/** Why headless Chromium cannot run here, or undefined when it can. */
export function missingChromium(): string | undefined {
  if (!existsSync(chromiumBinary)) return `Chromium is not installed at ${chromiumBinary} (apt-get install -y chromium)`;
  return undefined;
}

/** The private folders one code-server instance keeps its state in. */
export interface CodeServerDirs {
  readonly userData: string;
  readonly extensions: string;
  readonly xdg: string;
}

export async function codeServerDirs(base: string): Promise<CodeServerDirs> {
  const dirs = { userData: join(base, 'user-data'), extensions: join(base, 'extensions'), xdg: join(base, 'xdg') };
  await Promise.all(Object.values(dirs).map((dir) => mkdir(dir, { recursive: true })));
  // A quiet workbench: no welcome page, tips, trust prompts or update checks to get in the way.
  await mkdir(join(dirs.userData, 'User'), { recursive: true });
  await writeFile(
    join(dirs.userData, 'User', 'settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'security.workspace.trust.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'update.mode': 'none',
      'chat.disableAIFeatures': true,
    }),
  );
  return dirs;
}

function environment(dirs: CodeServerDirs): NodeJS.ProcessEnv {
  return {
    ...process.env,
    XDG_CONFIG_HOME: join(dirs.xdg, 'config'),
    XDG_DATA_HOME: join(dirs.xdg, 'data'),
    XDG_CACHE_HOME: join(dirs.xdg, 'cache'),
  };
}

/** Installs a .vsix the way a user would (`code-server --install-extension`). */
export async function installExtension(vsix: string, dirs: CodeServerDirs): Promise<void> {
  await run(codeServerBinary, ['--extensions-dir', dirs.extensions, '--user-data-dir', dirs.userData, '--install-extension', vsix], {
    env: environment(dirs),
    timeout: 120_000,
  });
}

export interface RunningCodeServer {
  readonly url: string;
  readonly output: () => string;
  close(): Promise<void>;
}

/** Starts code-server on a free loopback port and resolves once it listens. */
export async function startCodeServer(dirs: CodeServerDirs, env: NodeJS.ProcessEnv = {}): Promise<RunningCodeServer> {
  const child: ChildProcess = spawn(
    codeServerBinary,
    [
      '--bind-addr',
      '127.0.0.1:0',
      '--auth',
      'none',
      '--user-data-dir',
      dirs.userData,
      '--extensions-dir',
      dirs.extensions,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
    ],
    { env: { ...environment(dirs), ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    output: () => output,
    close: async () => {
      if (child.exitCode !== null || child.pid === undefined) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      // code-server starts helper processes (extension host, language servers): end the whole group.
      process.kill(-child.pid, 'SIGTERM');
      const killer = setTimeout(() => child.pid !== undefined && process.kill(-child.pid, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    },
  };
}
