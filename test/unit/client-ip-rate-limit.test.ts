/** Client address behind TRUSTED_PROXIES (gateway/http/client-ip.ts) and the 429 of gateway/http/rate-limit.ts. */
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import Koa from 'koa';
import request from 'supertest';
import { Redis } from 'ioredis';
import { loadConfig, ConfigError } from '../../shared/config.js';
import { createLogger } from '../../shared/logger.js';
import { clientIp, clientIpMiddleware } from '../../gateway/http/client-ip.js';
import { errorMiddleware } from '../../gateway/http/http.js';
import { rateLimit } from '../../gateway/http/rate-limit.js';
import { deleteRedisPrefix } from '../support/system.js';

const SECRETS = { JWT_SECRET: 'k'.repeat(32), SANDBOX_WEBHOOK_SECRET: 's'.repeat(32) };

/** An app that answers the client address it worked out. */
function echoApp(trustedProxies: string): Koa {
  const app = new Koa();
  app.use(clientIpMiddleware(loadConfig({ ...SECRETS, TRUSTED_PROXIES: trustedProxies })));
  app.use((ctx) => {
    ctx.body = { ip: clientIp(ctx), koaIp: ctx.ip };
  });
  return app;
}

describe('client address', () => {
  it('ignores X-Forwarded-For when no proxy is trusted (the default)', async () => {
    const res = await request(echoApp('').callback()).get('/').set('X-Forwarded-For', '198.51.100.7');
    expect(res.body).to.deep.equal({ ip: '127.0.0.1', koaIp: '127.0.0.1' });
  });

  it('ignores X-Forwarded-For from a peer outside TRUSTED_PROXIES', async () => {
    const res = await request(echoApp('10.0.0.0/8, 192.0.2.1').callback())
      .get('/')
      .set('X-Forwarded-For', '198.51.100.7');
    expect(res.body.ip).to.equal('127.0.0.1');
  });

  it('honours X-Forwarded-For from a trusted proxy, taking the first untrusted hop from the right', async () => {
    const app = echoApp('127.0.0.0/8,::1');
    const one = await request(app.callback()).get('/').set('X-Forwarded-For', '198.51.100.7');
    expect(one.body.ip).to.equal('198.51.100.7');
    // The client may send its own header; the proxy appends the real peer. Only the right end counts.
    const spoofed = await request(app.callback())
      .get('/')
      .set('X-Forwarded-For', '203.0.113.66, 198.51.100.7');
    expect(spoofed.body).to.deep.equal({ ip: '198.51.100.7', koaIp: '198.51.100.7' });
  });

  it('refuses a TRUSTED_PROXIES entry that is not an address or range, naming the variable', () => {
    try {
      loadConfig({ ...SECRETS, TRUSTED_PROXIES: '10.0.0.0/8, proxy.example' });
      expect.fail('should refuse');
    } catch (err) {
      expect(err).to.be.instanceOf(ConfigError);
      expect((err as Error).message).to.include('TRUSTED_PROXIES');
    }
    expect(loadConfig({ ...SECRETS, TRUSTED_PROXIES: ' 10.0.0.0/8 , ::1 ' }).TRUSTED_PROXIES).to.deep.equal([
      '10.0.0.0/8',
      '::1',
    ]);
  });
});

describe('gateway rate limit', () => {
  const prefix = `ms-grl-${randomBytes(4).toString('hex')}`;
  const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  after(async () => {
    await deleteRedisPrefix(prefix);
    redis.disconnect();
  });

  it('answers 429 with Retry-After in seconds and the limit message once a key is spent', async () => {
    const limit = rateLimit(redis, prefix, {
      name: 'test',
      points: 2,
      durationS: 30,
      message: 'Too many tries from your address',
    });
    const app = new Koa();
    app.use(errorMiddleware(createLogger('test', 'silent')));
    app.use(async (ctx) => {
      await limit.consume(clientIp(ctx));
      ctx.body = { ok: true };
    });
    const server = app.callback();
    expect((await request(server).get('/')).status).to.equal(200);
    expect((await request(server).get('/')).status).to.equal(200);
    const refused = await request(server).get('/');
    expect(refused.status).to.equal(429);
    expect(refused.body.error.code).to.equal('RATE_LIMITED');
    expect(refused.body.error.message).to.equal('Too many tries from your address');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).to.be.within(1, 30);
    expect(refused.body.error.details.retryAfterSeconds).to.equal(retryAfter);
    expect(await limit.remaining('127.0.0.1')).to.equal(0);
    await limit.reset('127.0.0.1');
    expect((await request(server).get('/')).status).to.equal(200);
  });
});
