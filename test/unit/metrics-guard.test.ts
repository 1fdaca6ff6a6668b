/** Who may scrape the gateway's public GET /metrics (gateway/metrics/metrics.routes.ts). */
import { expect } from 'chai';
import type { Context } from 'koa';
import { metricsGuard } from '../../gateway/metrics/metrics.routes.js';
import { loadConfig } from '../../shared/config.js';
import { signAccessToken } from '../../shared/access-token.js';
import { ForbiddenError, UnauthenticatedError } from '../../shared/errors.js';

const SECRETS = { JWT_SECRET: 'k'.repeat(32), SANDBOX_WEBHOOK_SECRET: 's'.repeat(32) };
const token = 'm'.repeat(40);

function ctx(remoteAddress: string, authorization = ''): Context {
  return {
    get: (name: string) => (name.toLowerCase() === 'authorization' ? authorization : ''),
    request: { socket: { remoteAddress }, ip: remoteAddress },
  } as unknown as Context;
}

/** true when the guard let the request through; false when it refused with 401/403. */
async function passes(guard: ReturnType<typeof metricsGuard>, c: Context): Promise<boolean> {
  let reached = false;
  try {
    await guard(c, () => {
      reached = true;
      return Promise.resolve();
    });
  } catch (err) {
    expect(err).to.satisfy((e: unknown) => e instanceof ForbiddenError || e instanceof UnauthenticatedError);
    expect((err as Error).message).to.include('METRICS_TOKEN');
    return false;
  }
  return reached;
}

describe('metricsGuard', () => {
  const withToken = loadConfig({ ...SECRETS, METRICS_TOKEN: token });
  const withoutToken = loadConfig(SECRETS);

  it('refuses loopback clients without a credential (no loopback trust)', async () => {
    for (const ip of ['127.0.0.1', '::ffff:127.0.0.1', '::1']) {
      expect(await passes(metricsGuard(withoutToken), ctx(ip)), ip).to.equal(false);
      expect(await passes(metricsGuard(withToken), ctx(ip)), ip).to.equal(false);
    }
  });

  it('lets a scraper in only with the configured bearer token', async () => {
    const guard = metricsGuard(withToken);
    expect(await passes(guard, ctx('10.0.0.9', `Bearer ${token}`))).to.equal(true);
    expect(await passes(guard, ctx('10.0.0.9', `Bearer ${token.slice(1)}x`))).to.equal(false);
    expect(await passes(guard, ctx('10.0.0.9', 'Bearer '))).to.equal(false);
    // No token configured: an empty or guessed one never matches.
    expect(await passes(metricsGuard(withoutToken), ctx('10.0.0.9', 'Bearer '))).to.equal(false);
  });

  it("lets an admin's access token in, and no other account's", async () => {
    const admin = await signAccessToken(withoutToken, {
      sub: '00000000-0000-7000-8000-000000000002',
      role: 'admin',
    });
    const streamer = await signAccessToken(withoutToken, {
      sub: '00000000-0000-7000-8000-000000000001',
      role: 'streamer',
    });
    expect(await passes(metricsGuard(withoutToken), ctx('203.0.113.9', `Bearer ${admin}`))).to.equal(true);
    expect(await passes(metricsGuard(withoutToken), ctx('127.0.0.1', `Bearer ${streamer}`))).to.equal(false);
  });
});
