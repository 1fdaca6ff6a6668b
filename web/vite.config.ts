/**
 * The web app's build: Vue 3 single-file components, hashed assets under /app-assets/ (served by
 * the gateway with a year-long immutable cache), one chunk per route so the donor page loads
 * neither the dashboard nor Chart.js. `npm run dev:web` proxies the API and Socket.IO to a
 * running gateway (GATEWAY_URL, default http://localhost:8080).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// eslint-disable-next-line no-restricted-properties -- a dev-server option, not the app's configuration
const gateway = process.env.GATEWAY_URL ?? 'http://localhost:8080';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/app-assets/',
  plugins: [vue()],
  define: {
    __VUE_OPTIONS_API__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    // petite-vue-i18n (the small vue-i18n: composition API, flat keys) compiles messages to an
    // AST it interprets (no eval: fits script-src 'self').
    __INTLIFY_JIT_COMPILATION__: 'true',
    __INTLIFY_DROP_MESSAGE_COMPILER__: 'false',
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
