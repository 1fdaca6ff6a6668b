/** The web app: landing, sign-up and log-in, donor and status pages, dashboard and admin. */
import { createApp } from 'vue';
import App from './App.vue';
import { router } from './router';
import { i18n, lang, loadLanguage } from './i18n';
import './styles.css';

void loadLanguage(lang()).then(() => createApp(App).use(i18n).use(router).mount('#app'));
