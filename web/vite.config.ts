/**
 * The web app's build: Vue 3 single-file components, hashed assets under /app-assets/ (served by
 * the gateway with a year-long immutable cache), one chunk per route so the donor page loads
 * neither the dashboard nor Chart.js. `npm run dev:web` proxies the API and Socket.IO to a
 * running gateway (GATEWAY_URL, default http://localhost:8080).
 */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import vue from '@vitejs/plugin-vue';

/** The part of @intlify/message-compiler used here. */
interface MessageCompiler {
  baseCompile: (
    source: string,
    options: { jit: true; minify: true; location: false; onError: (error: Error) => void },
  ) => { ast: { b: { t: number; s?: string } } };
}

/**
 * Compiles the message files (src/locales/*.json) at build time, as @intlify/unplugin-vue-i18n
 * does, so the app ships without petite-vue-i18n's message compiler (~5 KB gzip) and compiles
 * nothing while the page starts. Each file becomes flat keys ("donate.amount", the form
 * petite-vue-i18n resolves); a message with syntax ({name}, plurals, linked messages) becomes the
 * AST the runtime interprets, a plain text stays a string (the runtime shows a string as is). Uses
 * the very compiler petite-vue-i18n depends on, so the AST fits its runtime.
 * @throws {Error} at build time for a message the compiler refuses (named by file and key).
 */
function precompiledMessages(): Plugin {
  const fromI18n = createRequire(createRequire(import.meta.url).resolve('petite-vue-i18n'));
  let compiler: Promise<MessageCompiler> | undefined;
  return {
    name: 'mediashar:precompiled-messages',
    enforce: 'pre',
    transform: {
      filter: { id: /[\\/]src[\\/]locales[\\/][\w.-]+\.json$/ },
      async handler(code, id) {
        compiler ??= import(
          pathToFileURL(fromI18n.resolve('@intlify/message-compiler')).href
        ) as Promise<MessageCompiler>;
        const { baseCompile } = await compiler;
        const out: Record<string, unknown> = {};
        const walk = (tree: Record<string, unknown>, prefix: string): void => {
          for (const [key, value] of Object.entries(tree)) {
            const path = prefix ? `${prefix}.${key}` : key;
            if (value && typeof value === 'object') walk(value as Record<string, unknown>, path);
            else if (typeof value === 'string') {
              const { ast } = baseCompile(value, {
                jit: true,
                minify: true,
                location: false,
                onError: (error) => {
                  throw new Error(`${id}: message "${path}": ${error.message}`);
                },
              });
              out[path] = ast.b.t === 2 && ast.b.s === value ? value : ast;
            }
          }
        };
        walk(JSON.parse(code) as Record<string, unknown>, '');
        // Still JSON: Vite's JSON plugin makes it a module.
        return { code: JSON.stringify(out), map: null };
      },
    },
  };
}

// eslint-disable-next-line no-restricted-properties -- a dev-server option, not the app's configuration
const gateway = process.env.GATEWAY_URL ?? 'http://localhost:8080';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/app-assets/',
  plugins: [precompiledMessages(), vue()],
  define: {
    __VUE_OPTIONS_API__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    // petite-vue-i18n (the small vue-i18n: composition API, flat keys) interprets messages
    // compiled at build time to an AST (no eval: fits script-src 'self'; precompiledMessages).
    __INTLIFY_JIT_COMPILATION__: 'true',
    __INTLIFY_DROP_MESSAGE_COMPILER__: 'true',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
  },

  build: {
    outDir: 'dist',
    assetsDir: '',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // .vite/manifest.json: the gateway preloads the donor page's chunks with its HTML.
    manifest: true,
    chunkSizeWarningLimit: 400,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            // The small modules the public pages share (error texts, the field error) as one chunk
            // instead of two: browsers open six connections per host over HTTP/1.1, and a
            // seventh file of the donor page would wait a whole round trip.
            {
              name: 'shared',
              includeDependenciesRecursively: false,
              test: /web[\\/]src[\\/](errors\.ts$|components[\\/]field-error\.vue)/,
            },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: gateway, changeOrigin: false },
      '/socket.io': { target: gateway, ws: true },
      '/overlay': gateway,
      '/widgets': gateway,
      '/assets': gateway,
      '/admin/queues': gateway,
      '/sandbox': gateway,
    },
  },
});
