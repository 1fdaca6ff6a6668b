/**
 * How the overlay's and widgets' browser scripts (gateway/web/client) are bundled: by
 * `npm run build` into dist/client for the compiled gateway, or by a gateway run from the
 * TypeScript sources at start (gateway/web/pages.routes.ts).
 */
import { join } from 'node:path';
import { ROOT } from '../../shared/root.js';

/** The client entry points (gateway/web/client/<name>.client.ts), served as /assets/<name>.js. */
export const CLIENT_ENTRIES = ['overlay', 'widget', 'media'] as const;

/** Where `npm run build` writes the client scripts (dist/client/<name>.client.js). */
export const CLIENT_DIST = join(ROOT, 'dist', 'client');

/** The esbuild options of the client scripts (ES2020, minified), written under `outdir`. */
export function clientBuildOptions(outdir: string) {
  return {
    entryPoints: CLIENT_ENTRIES.map((name) => join(ROOT, 'gateway', 'web', 'client', `${name}.client.ts`)),
    bundle: true,
    format: 'esm' as const,
    target: 'es2020',
    minify: true,
    outdir,
    entryNames: '[name]',
    logLevel: 'silent' as const,
  };
}
