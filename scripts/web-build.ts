/**
 * Builds the web app (web/ → web/dist) when it is missing or stale: a hash of the app's sources,
 * its build config and the lock file is kept in web/dist/.build-hash. Used by `npm start` and by
 * the TestSystem, so a fresh clone needs only `npm ci` and `npm start`.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..');
export const WEB_DIST = join(ROOT, 'web', 'dist');
const HASH_FILE = join(WEB_DIST, '.build-hash');
const INPUTS = [
  'web/src',
  'web/index.html',
  'web/vite.config.ts',
  'shared/amount-input.ts',
  'package-lock.json',
];

function files(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => files(join(path, name)));
}

/** Hash of every file the build reads. */
export function webSourceHash(): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((p) => files(join(ROOT, p)))) {
    hash.update(file.slice(ROOT.length)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/** True when web/dist was built from the current sources. */
export function webBuildIsCurrent(): boolean {
  return (
    existsSync(join(WEB_DIST, 'index.html')) &&
    existsSync(HASH_FILE) &&
    readFileSync(HASH_FILE, 'utf8') === webSourceHash()
  );
}

/**
 * Runs `vite build` when web/dist is missing or stale; returns whether it built.
 * @throws {Error} when the build fails.
 */
export function ensureWebBuild(log: (line: string) => void = () => undefined): boolean {
  if (webBuildIsCurrent()) return false;
  log('Building the web app (web/ → web/dist)…');
  const hash = webSourceHash();
  const result = spawnSync(
    join(ROOT, 'node_modules', '.bin', 'vite'),
    ['build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  if (result.status !== 0) throw new Error(`web app build failed (exit ${result.status ?? result.signal})`);
  writeFileSync(HASH_FILE, hash);
  return true;
}
