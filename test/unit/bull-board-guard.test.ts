/** Who may use Bull Board (gateway/admin/bull-board.ts adminOnly): admins only, CSRF-guarded. */
import { expect } from 'chai';
import Koa from 'koa';
import request from 'supertest';
import {
  adminCsrfToken,
  adminOnly,
  ADMIN_COOKIE,
  ADMIN_CSRF_COOKIE,
} from '../../gateway/admin/bull-board.js';
import { errorMiddleware } from '../../gateway/http/http.js';
import { loadConfig } from '../../shared/config.js';
import { signAccessToken } from '../../shared/access-token.js';
import { createLogger } from '../../shared/logger.js';

const HOST = 'mediashar.example';
const config = loadConfig({
  JWT_SECRET: 'k'.repeat(32),
  SANDBOX_WEBHOOK_SECRET: 's'.repeat(32),
  PUBLIC_URL: `https://${HOST}`,
});

/** The guard in front of a stand-in board that counts what reached it. */
function boardApp() {
  const reached: string[] = [];
  const app = new Koa();
  app.use(errorMiddleware(createLogger('test', 'silent')));
  app.use(adminOnly(config));
  app.use((ctx) => {
    reached.push(`${ctx.method} ${ctx.path}`);
    ctx.body = { ok: true };
  });
  return { server: app.callback(), reached };
}

describe('Bull Board guard', () => {
  let admin: string;
  let streamer: string;
  before(async () => {
    admin = await signAccessToken(config, { sub: '00000000-0000-7000-8000-000000000002', role: 'admin' });
    streamer = await signAccessToken(config, {
      sub: '00000000-0000-7000-8000-000000000001',
      role: 'streamer',
    });
  });

  it('refuses a loopback client without an admin credential (401) and a non-admin token (403)', async () => {
    const { server, reached } = boardApp();
    const anonymous = await request(server).get('/admin/queues/api/queues').set('Host', HOST);
    expect(anonymous.status).to.equal(401);
    const wrongRole = await request(server)
      .get('/admin/queues/api/queues')
      .set('Host', HOST)
      .set('Authorization', `Bearer ${streamer}`);
    expect(wrongRole.status).to.equal(403);
    const forged = await request(server)
      .get('/admin/queues/api/queues')
      .set('Host', HOST)
      .set('Cookie', `${ADMIN_COOKIE}=not-a-jwt`);
    expect(forged.status).to.equal(401);
    expect(reached).to.deep.equal([]);
  });

  it('sends a browser without credentials to the admin sign-in page', async () => {
    const { server } = boardApp();
    const res = await request(server).get('/admin/queues').set('Host', HOST).set('Accept', 'text/html');
    expect(res.status).to.equal(302);
    expect(res.headers.location).to.equal('/admin/login?next=%2Fadmin%2Fqueues');
  });

  it("lets an admin in by bearer token or cookie, on PUBLIC_URL's host only", async () => {
    const { server, reached } = boardApp();
    expect(
      (
        await request(server)
          .get('/admin/queues/api/queues')
          .set('Host', HOST)
          .set('Authorization', `Bearer ${admin}`)
      ).status,
    ).to.equal(200);
    expect(
      (
        await request(server)
          .get('/admin/queues/api/queues')
          .set('Host', HOST)
          .set('Cookie', `${ADMIN_COOKIE}=${admin}`)
      ).status,
    ).to.equal(200);
    // DNS rebinding: a page on another name that resolves to the gateway.
    const rebound = await request(server)
      .get('/admin/queues/api/queues')
      .set('Host', 'attacker.example')
      .set('Cookie', `${ADMIN_COOKIE}=${admin}`);
    expect(rebound.status).to.equal(403);
    expect(reached).to.have.length(2);
  });

  it('refuses state-changing requests with the cookie but no matching CSRF token, and cross-site ones', async () => {
    const { server, reached } = boardApp();
    const path = '/admin/queues/api/queues/donation-status/add';
    const csrf = adminCsrfToken(config, admin);
    const cookies = `${ADMIN_COOKIE}=${admin}; ${ADMIN_CSRF_COOKIE}=${csrf}`;
    // A cross-site HTML form: cookie sent (were SameSite absent), no header, foreign Origin.
    const form = await request(server)
      .post(path)
      .set('Host', HOST)
      .set('Origin', 'https://evil.example')
      .set('Cookie', cookies)
      .type('form')
      .send({ name: 'x' });
    expect(form.status).to.equal(403);
    const noHeader = await request(server).post(path).set('Host', HOST).set('Cookie', cookies).send({});
    expect(noHeader.status).to.equal(403);
    expect(noHeader.body.error.message).to.include('CSRF');
    // A token that matches its own cookie but not this admin session (an attacker-set pair).
    const unbound = await request(server)
      .post(path)
      .set('Host', HOST)
      .set('Cookie', `${ADMIN_COOKIE}=${admin}; ${ADMIN_CSRF_COOKIE}=forged`)
      .set('X-XSRF-TOKEN', 'forged')
      .send({});
    expect(unbound.status).to.equal(403);
    const crossSite = await request(server)
      .post(path)
      .set('Host', HOST)
      .set('Sec-Fetch-Site', 'cross-site')
      .set('Cookie', cookies)
      .set('X-XSRF-TOKEN', csrf)
      .send({});
    expect(crossSite.status).to.equal(403);
    expect(reached).to.deep.equal([]);
    const ok = await request(server)
      .put('/admin/queues/api/queues/donation-status/retry/failed')
      .set('Host', HOST)
      .set('Origin', `https://${HOST}`)
      .set('Cookie', cookies)
      .set('X-XSRF-TOKEN', csrf)
      .send({});
    expect(ok.status).to.equal(200);
    const bearer = await request(server)
      .post(path)
      .set('Host', HOST)
      .set('Authorization', `Bearer ${admin}`)
      .send({});
    expect(bearer.status).to.equal(200);
    expect(reached).to.have.length(2);
  });

  it('leaves other paths alone', async () => {
    const { server, reached } = boardApp();
    expect((await request(server).get('/api/v1/config')).status).to.equal(200);
    expect((await request(server).get('/admin/queuesX')).status).to.equal(200);
    expect(reached).to.have.length(2);
  });
});
