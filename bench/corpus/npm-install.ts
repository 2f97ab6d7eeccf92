import { spawnSync } from 'node:child_process';

/**
 * Runs `npm install …` in a folder of its own and returns whether it succeeded. `npm run bench`
 * hands its own settings to children as npm_config_* variables (the repository's engine-strict
 * among them); those are removed so the install behaves the same however the benchmark started.
 */
export function npmInstall(dir: string, args: readonly string[]): boolean {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_config_')));
  const result = spawnSync('npm', ['install', ...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: dir,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return result.status === 0;
}
