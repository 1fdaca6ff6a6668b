/**
 * The web app's build: Vue 3 single-file components, hashed assets under /app-assets/ (served by
 * the gateway with a year-long immutable cache), one chunk per route so the donor page loads
 * neither the dashboard nor Chart.js. `npm run dev:web` proxies the API and Socket.IO to a
 * running gateway (GATEWAY_URL, default http://localhost:8080).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import VueI18nPlugin from '@intlify/unplugin-vue-i18n/vite';

// eslint-disable-next-line no-restricted-properties -- a dev-server option, not the app's configuration
const gateway = process.env.GATEWAY_URL ?? 'http://localhost:8080';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/app-assets/',
  plugins: [
    vue(),
    // Message files are compiled at build time, so the page ships vue-i18n's runtime only (no
    // message compiler, nothing evaluated: fits script-src 'self').
    VueI18nPlugin({
      include: [fileURLToPath(new URL('./src/locales/**', import.meta.url))],
      module: 'petite-vue-i18n',
      runtimeOnly: true,
      compositionOnly: true,
      fullInstall: false,
      strictMessage: false,
      escapeHtml: false,
    }),
  ],
  define: {
    __VUE_OPTIONS_API__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
  },
  resolve: {
    // petite-vue-i18n: the small build (composition API, no legacy API or linked messages).
    alias: { 'vue-i18n': 'petite-vue-i18n' },
  },
  build: {
    outDir: 'dist',
    assetsDir: '',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 400,
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
