import { expect } from 'chai';
import type { Context } from 'koa';
import { adminOnly, isLoopback } from '../../gateway/admin/bull-board.js';
import { loadConfig } from '../../shared/config.js';
import { signAccessToken } from '../../shared/access-token.js';
import { ForbiddenError } from '../../shared/errors.js';

const config = loadConfig({ JWT_SECRET: 'k'.repeat(32), SANDBOX_WEBHOOK_SECRET: 's'.repeat(32) });

function fakeContext(remoteAddress: string, authorization = '', path = '/admin/queues'): Context {
  return {
    path,
    get: (name: string) => (name.toLowerCase() === 'authorization' ? authorization : ''),
    cookies: { get: () => undefined },
    request: { socket: { remoteAddress } },
  } as unknown as Context;
}

async function run(ctx: Context): Promise<boolean> {
  let passed = false;
  await adminOnly(config)(ctx, () => {
    passed = true;
    return Promise.resolve();
  });
  return passed;
}

describe('Bull Board guard', () => {
  it('knows loopback addresses', () => {
    for (const ip of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'])
      expect(isLoopback(ip), ip).to.equal(true);
    for (const ip of ['10.0.0.1', '192.168.1.5', '::ffff:10.0.0.1', '2001:db8::1', ''])
      expect(isLoopback(ip), ip).to.equal(false);
  });

  it('lets loopback clients in', async () => {
    expect(await run(fakeContext('127.0.0.1'))).to.equal(true);
  });

  it('refuses other clients without an admin token, even with a streamer token', async () => {
    const streamer = await signAccessToken(config, {
      sub: '00000000-0000-7000-8000-000000000001',
      role: 'streamer',
    });
    for (const auth of ['', `Bearer ${streamer}`, 'Bearer not-a-jwt']) {
      try {
        await run(fakeContext('203.0.113.9', auth));
        expect.fail('should refuse');
      } catch (err) {
        expect(err).to.be.instanceOf(ForbiddenError);
      }
    }
  });

  it('lets an admin in from anywhere', async () => {
    const admin = await signAccessToken(config, {
      sub: '00000000-0000-7000-8000-000000000002',
      role: 'admin',
    });
    expect(await run(fakeContext('203.0.113.9', `Bearer ${admin}`))).to.equal(true);
  });

  it('leaves other paths alone', async () => {
    expect(await run(fakeContext('203.0.113.9', '', '/api/v1/config'))).to.equal(true);
  });
});
