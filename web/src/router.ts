/**
 * Routes of the app, each page its own chunk (the donor page loads neither the dashboard nor
 * Chart.js). Pages that need an account wait for the page-load refresh, then send the signed-out
 * to /login?next=….
 */
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { refresh, session, type Role } from './api';
import { loadDashboardMessages } from './i18n';

declare module 'vue-router' {
  interface RouteMeta {
    roles?: Role[];
  }
}

const routes: RouteRecordRaw[] = [
  { path: '/', component: () => import('./pages/landing.vue') },
  { path: '/login', component: () => import('./pages/login.vue') },
  { path: '/signup', component: () => import('./pages/signup.vue') },
  { path: '/reset-password', component: () => import('./pages/reset-password.vue') },
  { path: '/verify-email', component: () => import('./pages/verify-email.vue') },
  {
    path: '/dashboard',
    component: () => import('./pages/dashboard/dashboard-layout.vue'),
    meta: { roles: ['streamer'] },
    children: [
      { path: '', name: 'live', component: () => import('./pages/dashboard/live.vue') },
      { path: 'history', name: 'history', component: () => import('./pages/dashboard/history.vue') },
      { path: 'media', name: 'media', component: () => import('./pages/dashboard/media.vue') },
      { path: 'stats', name: 'stats', component: () => import('./pages/dashboard/stats.vue') },
      { path: 'settings', name: 'settings', component: () => import('./pages/dashboard/settings.vue') },
      {
        path: 'notifications',
        name: 'notifications',
        component: () => import('./pages/dashboard/notifications.vue'),
      },
      { path: 'account', name: 'account', component: () => import('./pages/dashboard/account.vue') },
    ],
  },
  { path: '/settings', redirect: '/dashboard/settings' },
  { path: '/admin', component: () => import('./pages/admin.vue'), meta: { roles: ['admin'] } },
  { path: '/donations/:id', component: () => import('./pages/donation-status.vue'), props: true },
  {
    path: '/:username([A-Za-z0-9_]{3,30})',
    component: () => import('./pages/donor.vue'),
    props: true,
  },
  { path: '/:pathMatch(.*)*', component: () => import('./pages/not-found.vue') },
];

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: () => ({ top: 0 }),
});

router.beforeEach(async (to) => {
  const roles = to.matched.flatMap((r) => r.meta.roles ?? []);
  if (!roles.length) return true;
  await loadDashboardMessages();
  if (!session.checked) await refresh();
  if (!session.user) return { path: '/login', query: { next: to.fullPath } };
  return true;
});
