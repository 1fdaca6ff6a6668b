/**
 * gRPC between processes is mutual TLS with per-method peer authorization (issue 10, item 3),
 * on the real services: for every method of every loaded proto, a caller without a client
 * certificate, with a certificate from another CA, or on plaintext is refused at the
 * handshake; a role the peer table (shared/grpc-peers.ts PEER_ACCESS) does not allow gets
 * PERMISSION_DENIED; an allowed role gets past the check. Health and reflection answer every
 * certificate of the install, the operator's included.
 */
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { TestSystem } from '../support/system.js';
import { credentialsOf, freshCertsDir, tlsOf } from '../support/grpc-certs.js';
import { healthStatus, listServices } from '../support/grpc-probe.js';
import { clientOptionsFor, loadPackageDefinition, SERVICE_NAMES } from '../../shared/grpc.js';
import {
  allowedRoles,
  PEER_ACCESS,
  PEER_ROLES,
  tablePaths,
  type ServerRole,
} from '../../shared/grpc-peers.js';

interface MethodDef {
  path: string;
  requestStream: boolean;
  responseStream: boolean;
  requestSerialize: (value: unknown) => Buffer;
  responseDeserialize: (bytes: Buffer) => unknown;
}

interface Outcome {
  code: grpc.status;
  details: string;
  errorCode?: string;
  peer?: unknown;
}

const SERVER_OF: Record<string, ServerRole> = {
  [SERVICE_NAMES.donation]: 'donation-service',
  [SERVICE_NAMES.payment]: 'payment-service',
  [SERVICE_NAMES.notification]: 'notification-service',
};

/** Every method of the three MediaShar services, as the loaded protos define them. */
function protoMethods(): { service: string; name: string; def: MethodDef }[] {
  const pkg = loadPackageDefinition();
  return Object.values(SERVICE_NAMES).flatMap((service) =>
    Object.entries(pkg[service] as unknown as Record<string, MethodDef>).map(([name, def]) => ({
      service,
      name,
      def,
    })),
  );
}

function outcomeOf(status: { code: grpc.status; details: string; metadata?: grpc.Metadata }): Outcome {
  const errorCode = status.metadata?.get('x-mediashar-error-code')[0];
  const detailsRaw = status.metadata?.get('x-mediashar-error-details')[0];
  return {
    code: status.code,
    details: status.details,
    errorCode: typeof errorCode === 'string' ? errorCode : undefined,
    peer: typeof detailsRaw === 'string' ? (JSON.parse(detailsRaw) as { peer?: unknown }).peer : undefined,
  };
}

/** Calls a method with an empty request; resolves with the final status (never rejects). */
function callWith(client: grpc.Client, def: MethodDef): Promise<Outcome> {
  const options = { deadline: Date.now() + 5000 };
  return new Promise((resolve) => {
    if (!def.responseStream) {
      client.makeUnaryRequest(
        def.path,
        def.requestSerialize,
        def.responseDeserialize,
        {},
        new grpc.Metadata(),
        options,
        (err) => resolve(err ? outcomeOf(err) : { code: grpc.status.OK, details: '', errorCode: undefined }),
      );
      return;
    }
    const stream = client.makeServerStreamRequest(
      def.path,
      def.requestSerialize,
      def.responseDeserialize,
      {},
      new grpc.Metadata(),
      options,
    );
    // An event means the call got through: stop it there.
    stream.on('data', () => stream.cancel());
    stream.on('error', () => undefined);
    stream.on('status', (status: grpc.StatusObject) => resolve(outcomeOf(status)));
  });
}

describe('gRPC mutual TLS and per-method peer authorization (real services)', function () {
  this.timeout(180_000);
  let system: TestSystem;
  let certs: string;
  let foreignCerts: string;
  const clients: grpc.Client[] = [];
  const methods = protoMethods();

  function addrOf(service: string): string {
    if (service === SERVICE_NAMES.donation) return system.config.DONATION_SERVICE_ADDR;
    if (service === SERVICE_NAMES.payment) return system.config.PAYMENT_SERVICE_ADDR;
    return system.config.NOTIFICATION_SERVICE_ADDR;
  }

  const cache = new Map<string, grpc.Client>();
  /** One channel per (service, credentials) pair, dialled the way the processes dial. */
  function clientFor(service: string, key: string, credentials: () => grpc.ChannelCredentials): grpc.Client {
    const id = `${service}|${key}`;
    let client = cache.get(id);
    if (!client) {
      client = new grpc.Client(addrOf(service), credentials(), clientOptionsFor(SERVER_OF[service]!));
      cache.set(id, client);
      clients.push(client);
    }
    return client;
  }

  before(async () => {
    system = await TestSystem.start({
      processes: ['donation-service', 'payment-service', 'notification-service'],
    });
    certs = system.config.GRPC_TLS_DIR;
    foreignCerts = await freshCertsDir('mediashar-foreign-ca-');
  });
  after(async () => {
    clients.forEach((c) => c.close());
    await system?.stop();
  });

  it('opens the media-share commands and the player’s calls to the gateway only (the operator reads)', () => {
    const donation = PEER_ACCESS['mediashar.v1.DonationService'];
    for (const method of ['SendMediaShareCommand', 'ClaimMediaShareClip', 'FinishMediaShareClip'] as const)
      expect(donation[method], method).to.deep.equal(['gateway']);
    expect(donation.ListMediaShareQueue).to.have.members(['gateway', 'operator']);
    expect(donation.GetMediaShareStatus).to.have.members(['gateway', 'operator']);
  });

  it('has a PEER_ACCESS entry for every method of the loaded protos, and none for another', () => {
    const protoPaths = methods.map((m) => m.def.path);
    expect(protoPaths.length).to.be.greaterThan(10);
    expect(tablePaths()).to.have.members(protoPaths);
    expect(Object.keys(PEER_ACCESS)).to.have.members(Object.values(SERVICE_NAMES));
  });

  describe('refused at the handshake', () => {
    const refusals: [string, () => grpc.ChannelCredentials][] = [
      ['without a client certificate', () => grpc.credentials.createSsl(tlsOf(certs, 'operator').ca)],
      [
        "with a gateway certificate from another CA (the server's CA still trusted)",
        () => {
          const foreign = tlsOf(foreignCerts, 'gateway');
          return grpc.credentials.createSsl(tlsOf(certs, 'gateway').ca, foreign.key, foreign.cert);
        },
      ],
      ['on plaintext', () => grpc.credentials.createInsecure()],
    ];
    for (const [how, credentials] of refusals) {
      it(`refuses every method ${how}`, async () => {
        for (const { service, def } of methods) {
          const outcome = await callWith(clientFor(service, how, credentials), def);
          expect(outcome.code, `${def.path} ${how}: ${outcome.details}`).to.equal(grpc.status.UNAVAILABLE);
          expect(outcome.errorCode, def.path).to.equal(undefined);
        }
      });
    }
  });

  it('answers PERMISSION_DENIED to every role the table does not allow, on every method', async () => {
    let denied = 0;
    for (const { service, def } of methods) {
      const allowed = allowedRoles(def.path) ?? [];
      for (const role of PEER_ROLES.filter((r) => !allowed.includes(r))) {
        const outcome = await callWith(
          clientFor(service, role, () => credentialsOf(certs, role)),
          def,
        );
        expect(outcome.code, `${role} → ${def.path}: ${outcome.details}`).to.equal(
          grpc.status.PERMISSION_DENIED,
        );
        expect(outcome.errorCode, def.path).to.equal('FORBIDDEN');
        expect(outcome.peer, def.path).to.equal(role);
        denied++;
      }
    }
    // Each method is closed to several roles (the services never call each other).
    expect(denied).to.be.greaterThan(methods.length * 3);
  });

  it('lets every allowed role past the peer check, on every method', async () => {
    for (const { service, def } of methods) {
      for (const role of allowedRoles(def.path) ?? []) {
        const outcome = await callWith(
          clientFor(service, role, () => credentialsOf(certs, role)),
          def,
        );
        // An empty request may fail validation or find nothing; it must not be a peer refusal.
        expect(outcome.code, `${role} → ${def.path}: ${outcome.details}`).to.not.be.oneOf([
          grpc.status.PERMISSION_DENIED,
          grpc.status.UNAVAILABLE,
        ]);
        expect(outcome.peer, `${role} → ${def.path}`).to.equal(undefined);
      }
    }
  });

  it('answers health SERVING and lists the services through reflection to the operator certificate', async () => {
    const operator = credentialsOf(certs, 'operator');
    for (const service of Object.values(SERVICE_NAMES)) {
      expect(await healthStatus(addrOf(service), service, operator)).to.equal('SERVING');
      expect(await listServices(addrOf(service), operator)).to.include.members([
        service,
        'grpc.health.v1.Health',
      ]);
    }
  });

  it('answers health to every role of the install, and to no certificate of another CA', async () => {
    const service = SERVICE_NAMES.payment;
    for (const role of PEER_ROLES)
      expect(await healthStatus(addrOf(service), '', credentialsOf(certs, role)), role).to.equal('SERVING');
    const foreign = tlsOf(foreignCerts, 'operator');
    const refused = await healthStatus(
      addrOf(service),
      '',
      grpc.credentials.createSsl(tlsOf(certs, 'operator').ca, foreign.key, foreign.cert),
    ).then(
      () => undefined,
      (err: grpc.ServiceError) => err.code,
    );
    expect(refused).to.equal(grpc.status.UNAVAILABLE);
  });

  it("refuses a server whose certificate is not the service's (a client checks the role name)", async () => {
    // The donation service's address, dialled as if it were the payment service.
    const client = new grpc.Client(
      system.config.DONATION_SERVICE_ADDR,
      credentialsOf(certs, 'gateway'),
      clientOptionsFor('payment-service'),
    );
    clients.push(client);
    const getPayment = methods.find((m) => m.def.path.endsWith('/GetPayment'))!.def;
    const outcome = await callWith(client, getPayment);
    expect(outcome.code, outcome.details).to.equal(grpc.status.UNAVAILABLE);
  });
});
