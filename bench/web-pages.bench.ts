/**
 * Web app weight and speed (issue 12), not a timed test: for each page, the gzip size of the
 * JavaScript it loads (budgets: donor page ≤ 60 KB, dashboard ≤ 250 KB), and the time until the
 * donor page accepts input under Chromium's "Fast 3G" throttling (DevTools protocol
 * Network.emulateNetworkConditions; budget ≤ 2 s). Writes bench/results/web-pages.json.
 *
 *   npx tsx bench/web-pages.bench.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BrowserContext } from 'playwright-core';
import { TestSystem, ROOT } from '../test/support/system.js';
import { launchChromium } from '../test/support/browser.js';

/**
 * Chromium DevTools' "Fast 3G" preset (devtools-frontend NetworkManager's Fast3GConditions): 562.5 ms
 * latency per request, 1.6 Mbps × 0.9 = 1.44 Mbps down, 750 kbps × 0.9 = 675 kbps up (bytes/s here).
 */
const FAST_3G = {
  offline: false,
  latency: 562.5,
  downloadThroughput: (1.6 * 1000 * 1000 * 0.9) / 8,
  uploadThroughput: (750 * 1000 * 0.9) / 8,
};
const BUDGET_KB = { donor: 60, dashboard: 250 };
const RUNS = 5;

async function jsOf(context: BrowserContext, url: string, ready: string): Promise<Map<string, number>> {
  const page = await context.newPage();
  const js = new Map<string, number>();
  page.on('response', (res) => {
    if (!res.url().endsWith('.js')) return;
    void res.body().then(
      (body) => js.set(new URL(res.url()).pathname, gzipSync(body, { level: 9 }).length),
      () => undefined,
    );
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  await page.waitForSelector(ready, { timeout: 30_000 });
  await page.waitForLoadState('networkidle');
  await page.close();
  return js;
}

const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;
const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

async function main(): Promise<void> {
  const system = await TestSystem.start({ processes: ['gateway'], env: { SANDBOX_ENABLED: 'true' } });
  const browser = await launchChromium();
  try {
    const base = system.gatewayUrl;
    const username = `bench_${Date.now().toString(36)}`;
    const account = { email: `${username}@example.test`, password: 'correct horse battery' };
    const context = await browser.newContext({ locale: 'id-ID', viewport: { width: 390, height: 844 } });
    await context.request.post(`${base}/api/v1/auth/register`, {
      data: { ...account, username, displayName: 'Bench', role: 'streamer' },
    });
    const pages: Record<string, { url: string; ready: string }> = {
      landing: { url: '/', ready: 'h1' },
      signup: { url: '/signup', ready: '#email' },
      login: { url: '/login', ready: '#email' },
      donor: { url: `/${username}`, ready: '#amount' },
      status: { url: '/donations/00000000-0000-7000-8000-000000000000', ready: 'h1' },
    };
    const result: Record<string, { js_gzip_kb: number; files: Record<string, number> }> = {};
    for (const [name, p] of Object.entries(pages)) {
      const js = await jsOf(context, base + p.url, p.ready);
      result[name] = {
        js_gzip_kb: kb(sum(js)),
        files: Object.fromEntries([...js].map(([f, b]) => [f, kb(b)])),
      };
    }
    // Signed in: the dashboard's tabs (each loads its own chunk; the union is what a streamer loads).
    await context.request.post(`${base}/api/v1/auth/login`, { data: account, headers: { origin: base } });
    const dashboardAll = new Map<string, number>();
    for (const tab of ['', '/history', '/stats', '/settings', '/account']) {
      const js = await jsOf(context, `${base}/dashboard${tab}`, 'nav.tabs');
      for (const [f, b] of js) dashboardAll.set(f, b);
      result[`dashboard${tab.replace('/', '-') || '-live'}`] = {
        js_gzip_kb: kb(sum(js)),
        files: Object.fromEntries([...js].map(([f, b]) => [f, kb(b)])),
      };
    }
    result['dashboard-all-tabs'] = { js_gzip_kb: kb(sum(dashboardAll)), files: {} };
    await context.close();

    // Time to an input-ready donor page on Fast 3G, empty cache each run.
    const times: number[] = [];
    const waterfalls: {
      ms: number;
      page: Record<string, number>;
      requests: { url: string; start: number; end?: number; bytes?: number }[];
    }[] = [];
    for (let i = 0; i < RUNS; i++) {
      const ctx = await browser.newContext({ locale: 'id-ID', viewport: { width: 390, height: 844 } });
      // In the page's own clock (ms since navigation start): when the amount field appeared and
      // when the typed amount was read back, apart from the driver's round trips.
      await ctx.addInitScript(() => {
        const marks: Record<string, number> = {};
        (window as unknown as { __benchMarks: Record<string, number> }).__benchMarks = marks;
        new MutationObserver(() => {
          if (!marks.amountField && document.querySelector('#amount'))
            marks.amountField = Math.round(performance.now());
          if (!marks.readBack && document.querySelector('[data-testid="amount-preview"]'))
            marks.readBack = Math.round(performance.now());
        }).observe(document, { childList: true, subtree: true });
      });
      const page = await ctx.newPage();
      const cdp = await ctx.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      await cdp.send('Network.emulateNetworkConditions', FAST_3G);
      const t0 = Date.now();
      const requests = new Map<string, { url: string; start: number; end?: number; bytes?: number }>();
      cdp.on('Network.requestWillBeSent', (e) => {
        requests.set(e.requestId, { url: e.request.url.replace(base, ''), start: Date.now() - t0 });
      });
      cdp.on('Network.loadingFinished', (e) => {
        const r = requests.get(e.requestId);
        if (r) Object.assign(r, { end: Date.now() - t0, bytes: e.encodedDataLength });
      });
      await page.goto(`${base}/${username}`, { waitUntil: 'commit' });
      await page.waitForSelector('#amount:not([disabled])', { state: 'visible', timeout: 60_000 });
      await page.fill('#amount', '50.000');
      await page.waitForSelector('[data-testid="amount-preview"]');
      const ms = Date.now() - t0;
      times.push(ms);
      waterfalls.push({
        ms,
        page: await page.evaluate(
          () => (window as unknown as { __benchMarks: Record<string, number> }).__benchMarks,
        ),
        requests: [...requests.values()].filter((r) => r.start < ms),
      });
      await ctx.close();
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    const medianRun = waterfalls.find((w) => w.ms === median)!;
    const out = {
      measured_at: new Date().toISOString(),
      note: 'gzip -9 sizes of the JavaScript each page loads (web/dist as served); donor page time from navigation to an amount typed and read back, Chromium with DevTools Fast 3G throttling and an empty cache',
      budgets_kb: BUDGET_KB,
      pages: result,
      donor_js_within_budget: result.donor!.js_gzip_kb <= BUDGET_KB.donor,
      dashboard_js_within_budget: result['dashboard-all-tabs'].js_gzip_kb <= BUDGET_KB.dashboard,
      donor_input_ready_fast3g_ms: { runs: times, median, budget: 2000 },
      donor_input_ready_within_budget: median <= 2000,
      // Where the median run's time went: page-side marks and each request from navigation start (ms).
      donor_median_run: { page_marks_ms: medianRun.page, requests: medianRun.requests },
      donor_page_marks_ms: waterfalls.map((w) => w.page),
    };
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench', 'results', 'web-pages.json'), `${JSON.stringify(out, null, 2)}\n`);
    process.stdout.write(
      `${JSON.stringify({ ...out, pages: Object.fromEntries(Object.entries(result).map(([k, v]) => [k, v.js_gzip_kb])) }, null, 2)}\n`,
    );
  } finally {
    await browser.close();
    await system.stop();
  }
}

await main();
process.exit(0);
