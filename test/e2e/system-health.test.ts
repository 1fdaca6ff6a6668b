/**
 * The foundation on the real processes (issue 2): health, services health with a service down
 * or hanging, reflection and grpc.health.v1 on every gRPC port, Bull Board, public config.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { expect } from 'chai';
import { freePort, TestSystem, waitFor } from '../support/system.js';
import { http } from '../support/clients.js';
import { healthStatus, listServices } from '../support/grpc-probe.js';
import { credentialsOf } from '../support/grpc-certs.js';
import { SERVICE_NAMES } from '../../shared/grpc.js';
import { ALL_QUEUE_NAMES } from '../../shared/queues.js';
import { signAccessToken } from '../../shared/access-token.js';
import { uuidv7 } from 'uuidv7';

describe('system health (real processes)', function () {
  this.timeout(120_000);
  let system: TestSystem;

  before(async () => {
    system = await TestSystem.start();
  });
  after(async () => {
    await system?.stop();
  });

  it('answers /health and lists the three services, three databases and Redis as up', async () => {
    expect((await http(system, 'GET', '/health')).status).to.equal(200);
    const res = await http(system, 'GET', '/services/health');
    expect(res.status).to.equal(200);
    expect(res.body.down).to.deep.equal([]);
    const names = [
      'donation-service',
      'payment-service',
      'notification-service',
      'gateway_db',
      'donation_db',
      'payment_db',
      'redis',
    ];
    expect(Object.keys(res.body.checks)).to.have.members(names);
    for (const name of names) {
      expect(res.body.checks[name].status, name).to.equal('up');
      expect(res.body.checks[name].latencyMs, name).to.be.a('number');
    }
  });

  it('exposes reflection and grpc.health.v1 SERVING on each gRPC port to the operator certificate', async () => {
    const operator = credentialsOf(system.config.GRPC_TLS_DIR, 'operator');
    const ports = {
      [SERVICE_NAMES.donation]: system.config.DONATION_SERVICE_ADDR,
      [SERVICE_NAMES.payment]: system.config.PAYMENT_SERVICE_ADDR,
      [SERVICE_NAMES.notification]: system.config.NOTIFICATION_SERVICE_ADDR,
    };
    for (const [service, addr] of Object.entries(ports)) {
      const services = await listServices(addr, operator);
      expect(services).to.include(service);
      expect(services).to.include('grpc.health.v1.Health');
      expect(await healthStatus(addr, '', operator)).to.equal('SERVING');
      expect(await healthStatus(addr, service, operator)).to.equal('SERVING');
    }
  });

  it('serves Bull Board with every queue to an admin, and not to a loopback client without one', async () => {
    expect((await http(system, 'GET', '/admin/queues/api/queues')).status).to.equal(401);
    const token = await signAccessToken(system.config, { sub: uuidv7(), role: 'admin' });
    const page = await fetch(`${system.gatewayUrl}/admin/queues`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(page.status).to.equal(200);
    const api = await http(system, 'GET', '/admin/queues/api/queues', { token });
    expect(api.status).to.equal(200);
    const shown = (api.body.queues as { name: string }[]).map((q) => q.name);
    expect(shown).to.include.members(ALL_QUEUE_NAMES);
  });

  it('gives browsers the realtime URL in /api/v1/config', async () => {
    const res = await http(system, 'GET', '/api/v1/config');
    expect(res.body.realtimeUrl).to.equal(system.config.REALTIME_PUBLIC_URL);
    expect(res.body.providers).to.include('sandbox');
  });

  describe('when a service is down or hangs', () => {
    let blackHole: Server;
    const sockets: Socket[] = [];
    let gatewayPort: number;

    before(async () => {
      // A "service" that accepts connections and never answers.
      blackHole = createServer((socket) => sockets.push(socket));
      const holePort = await freePort();
      await new Promise<void>((resolve) => blackHole.listen(holePort, '127.0.0.1', resolve));
      gatewayPort = await freePort();
      system.spawn(
        'gateway-hang',
        { GATEWAY_PORT: String(gatewayPort), NOTIFICATION_SERVICE_ADDR: `127.0.0.1:${holePort}` },
        ['gateway/main.ts'],
      );
      await waitFor(() => system.hasLine('gateway-hang', 'gateway listening'), 30_000, 'second gateway');
    });
    after(async () => {
      sockets.forEach((s) => s.destroy());
      blackHole.close();
      await system.kill('gateway-hang', 'SIGTERM');
    });

    it('answers 503 naming a hanging service, within the probe bound', async () => {
      const res = await fetch(`http://127.0.0.1:${gatewayPort}/services/health`, {
        signal: AbortSignal.timeout(10_000),
      });
      expect(res.status).to.equal(503);
      const body = (await res.json()) as { down: string[] };
      expect(body.down).to.deep.equal(['notification-service']);
    });

    it('answers 503 naming a stopped service', async () => {
      await system.kill('payment-service', 'SIGTERM');
      const res = await http(system, 'GET', '/services/health');
      expect(res.status).to.equal(503);
      expect(res.body.down).to.deep.equal(['payment-service']);
      expect(res.body.checks['payment-service'].status).to.equal('down');
    });
  });
});
