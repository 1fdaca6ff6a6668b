/**
 * The checkout's root folder (the one holding package.json), found the same way from the
 * TypeScript sources (tsx, tests) and from the compiled bundles in dist/ (production), so files
 * read at run time (proto/, web/dist, gateway/web assets) resolve in both.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}

/** Absolute path of the checkout's root. */
export const ROOT = findRoot(import.meta.dirname);
