/**
 * Builds the web app (web/ → web/dist) when it is missing or stale: a hash of the app's sources,
 * its build config and the lock file is kept in web/dist/.build-hash. Used by `npm start` and by
 * the TestSystem, so a fresh clone needs only `npm ci` and `npm start`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sourceHash } from './source-hash.js';

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

/** Hash of every file the build reads. */
export function webSourceHash(): string {
  return sourceHash(ROOT, INPUTS);
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
