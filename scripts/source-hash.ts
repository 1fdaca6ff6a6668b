/**
 * A build's staleness check: SHA-256 over the relative path and bytes of every file under the
 * given inputs (files or folders, walked in sorted order). Used by the web build
 * (scripts/web-build.ts) and the server build (scripts/build.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function files(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => files(join(path, name)));
}

/** Hex SHA-256 of every file under `inputs` (paths relative to `root`); missing inputs count as empty. */
export function sourceHash(root: string, inputs: readonly string[]): string {
  const hash = createHash('sha256');
  for (const file of inputs.flatMap((p) => files(join(root, p))))
    hash.update(file.slice(root.length)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}
