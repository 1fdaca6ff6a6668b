/** The web app: landing, sign-up and log-in, donor and status pages, dashboard and admin. */
import { createApp } from 'vue';
import App from './App.vue';
import { router } from './router';
import { i18n, lang, loadLanguage } from './i18n';
import './styles.css';

// Marks for bench/web-pages.bench.ts (the page's start-up, in the page's clock).
performance.mark('app:start');
// Installing the router starts loading the page's chunk; the messages load at the same time
// (on a slow phone network every round trip saved is ~0.5 s).
const app = createApp(App).use(i18n).use(router);
void Promise.all([loadLanguage(lang()), router.isReady()]).then(() => {
  performance.mark('app:ready');
  app.mount('#app');
  performance.mark('app:mounted');
});
