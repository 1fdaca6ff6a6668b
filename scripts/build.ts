/**
 * `npm run build`: compiles the server processes (gateway, the three gRPC services, the worker
 * pools) into dist/ with esbuild, one ES-module bundle per entry point, so production runs plain
 * `node dist/….js` instead of compiling TypeScript in every process at start (issue 15).
 * Packages stay external (loaded from node_modules); files read at run time (proto/, web/dist,
 * gateway/web assets) are found from the checkout's root (shared/root.ts), and migrations are
 * classes listed in code, so nothing else has to be copied. `npm start` calls
 * {@link ensureServerBuild}, which rebuilds only when a hash of the sources changed.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sourceHash } from './source-hash.js';
import * as esbuild from 'esbuild';
import { ROOT } from '../shared/root.js';
import { CLIENT_DIST, clientBuildOptions } from '../gateway/web/client-build.js';

/** Where the compiled server goes (gitignored). */
export const DIST = join(ROOT, 'dist');
/** Entry points, as ecosystem.config.js runs them (dist/<entry>.js). */
export const SERVER_ENTRIES = [
  'gateway/main.ts',
  'grpc/donation/main.ts',
  'grpc/payment/main.ts',
  'grpc/notification/main.ts',
  'workers/main.ts',
];
const HASH_FILE = join(DIST, '.build-hash');
const INPUTS = [
  'gateway',
  'grpc',
  'workers',
  'shared',
  'package-lock.json',
  'tsconfig.json',
  'scripts/build.ts',
];

/** Hash of every file the server build reads. */
export function serverSourceHash(): string {
  return sourceHash(ROOT, INPUTS);
}

/** Compiles every entry into dist/ (overwriting the bundles, so a running install keeps its files until it restarts). */
export async function buildServer(): Promise<void> {
  const hash = serverSourceHash();
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: SERVER_ENTRIES,
    outdir: DIST,
    outbase: '.',
    bundle: true,
    // Modules loaded with import() (a provider's SDK, a pool's code) become chunks of their own,
    // so a process loads only what it runs.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  // The overlay's and widgets' browser scripts, which the compiled gateway serves as built here.
  await esbuild.build({ ...clientBuildOptions(CLIENT_DIST), absWorkingDir: ROOT });
  mkdirSync(DIST, { recursive: true });
  writeFileSync(HASH_FILE, `${hash}\n`);
}

/**
 * Builds dist/ when it is missing or was built from other sources.
 * @returns true when it built.
 */
export async function ensureServerBuild(): Promise<boolean> {
  const current = existsSync(HASH_FILE) && readFileSync(HASH_FILE, 'utf8').trim() === serverSourceHash();
  if (current) return false;
  await buildServer();
  return true;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  buildServer().then(
    () => process.stdout.write(`Built ${SERVER_ENTRIES.length} server entries into dist/.\n`),
    (err: unknown) => {
      process.stderr.write(`build failed: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
}
