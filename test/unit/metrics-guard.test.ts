/** Who may scrape the gateway's public GET /metrics (gateway/metrics/metrics.routes.ts). */
import { expect } from 'chai';
import type { Context } from 'koa';
import { metricsGuard } from '../../gateway/metrics/metrics.routes.js';
import { ForbiddenError } from '../../shared/errors.js';

function ctx(remoteAddress: string, authorization = ''): Context {
  return {
    get: (name: string) => (name.toLowerCase() === 'authorization' ? authorization : ''),
    request: { socket: { remoteAddress } },
  } as unknown as Context;
}

async function passes(guard: ReturnType<typeof metricsGuard>, c: Context): Promise<boolean> {
  let reached = false;
  try {
    await guard(c, () => {
      reached = true;
      return Promise.resolve();
    });
  } catch (err) {
    expect(err).to.be.instanceOf(ForbiddenError);
    expect((err as Error).message).to.include('METRICS_TOKEN');
    return false;
  }
  return reached;
}

describe('metricsGuard', () => {
  const token = 'm'.repeat(40);

  it('lets loopback clients scrape without a token', async () => {
    expect(await passes(metricsGuard({ METRICS_TOKEN: undefined }), ctx('127.0.0.1'))).to.equal(true);
    expect(await passes(metricsGuard({ METRICS_TOKEN: undefined }), ctx('::ffff:127.0.0.1'))).to.equal(true);
    expect(await passes(metricsGuard({ METRICS_TOKEN: token }), ctx('::1'))).to.equal(true);
  });

  it('refuses other clients with 403 when no token is configured, whatever they send', async () => {
    const guard = metricsGuard({ METRICS_TOKEN: undefined });
    expect(await passes(guard, ctx('203.0.113.7'))).to.equal(false);
    expect(await passes(guard, ctx('203.0.113.7', 'Bearer '))).to.equal(false);
  });

  it('lets other clients in only with the configured bearer token', async () => {
    const guard = metricsGuard({ METRICS_TOKEN: token });
    expect(await passes(guard, ctx('10.0.0.9', `Bearer ${token}`))).to.equal(true);
    expect(await passes(guard, ctx('10.0.0.9', `Bearer ${token.slice(1)}x`))).to.equal(false);
    expect(await passes(guard, ctx('10.0.0.9'))).to.equal(false);
  });
});
