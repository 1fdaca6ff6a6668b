/**
 * The install CA of scripts/certs.ts (what `npm start` runs before the processes): one
 * certificate per role, chained to the CA, named by role, keys 0600; a second run changes
 * nothing, a missing or foreign certificate is issued again, a folder holding someone else's CA
 * (no CA key) is left alone, and the CA key can live elsewhere.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { commonName, ensureGrpcCerts } from '../../scripts/certs.js';
import { PEER_ROLES, SERVER_ROLES } from '../../shared/grpc-peers.js';
import { grpcTlsPaths, loadGrpcTls } from '../../shared/grpc-tls.js';
import { loadConfig } from '../../shared/config.js';

describe('install CA and process certificates (scripts/certs.ts)', function () {
  this.timeout(30_000);
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'mediashar-certs-unit-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const cert = (dir: string, name: string) => new X509Certificate(readFileSync(join(dir, `${name}.crt`)));

  it('issues one certificate per role, from the CA, named by role, keys readable by the owner only', async () => {
    const dir = join(root, 'certs');
    const result = await ensureGrpcCerts(dir);
    expect(result.createdCa).to.equal(true);
    expect(result.issued).to.have.members([...PEER_ROLES]);
    const ca = cert(dir, 'ca');
    expect(ca.ca).to.equal(true);
    expect(statSync(join(dir, 'ca.key')).mode & 0o777).to.equal(0o600);
    for (const role of PEER_ROLES) {
      const c = cert(dir, role);
      expect(c.verify(ca.publicKey), role).to.equal(true);
      expect(commonName(c), role).to.equal(role);
      expect(c.ca, role).to.equal(false);
      expect(statSync(join(dir, `${role}.key`)).mode & 0o777, role).to.equal(0o600);
      const serves = (SERVER_ROLES as readonly string[]).includes(role);
      // Servers are checked by role name (clients override the target name) and by localhost.
      for (const server of SERVER_ROLES)
        expect(Boolean(c.checkHost(server)), `${role} as ${server}`).to.equal(server === role);
      expect(Boolean(c.checkHost('localhost')), role).to.equal(serves);
      expect(Boolean(c.checkIP('127.0.0.1')), role).to.equal(serves);
      expect(c.keyUsage ?? [], role).to.include('1.3.6.1.5.5.7.3.2');
      expect((c.keyUsage ?? []).includes('1.3.6.1.5.5.7.3.1'), role).to.equal(serves);
    }
    // What each process loads through the configuration.
    const config = loadConfig({
      JWT_SECRET: 'x'.repeat(32),
      SANDBOX_WEBHOOK_SECRET: 'y'.repeat(32),
      GRPC_TLS_DIR: dir,
    });
    const gateway = loadGrpcTls(config, 'gateway');
    expect(gateway.cert.equals(readFileSync(join(dir, 'gateway.crt')))).to.equal(true);
  });

  it('changes nothing on a second run, and issues again only what is missing or foreign', async () => {
    const dir = join(root, 'certs');
    await ensureGrpcCerts(dir);
    const before = readFileSync(join(dir, 'payment-service.crt'), 'utf8');
    expect((await ensureGrpcCerts(dir)).issued).to.deep.equal([]);
    expect(readFileSync(join(dir, 'payment-service.crt'), 'utf8')).to.equal(before);

    unlinkSync(join(dir, 'workers.key'));
    const other = join(root, 'other');
    await ensureGrpcCerts(other);
    // A gateway certificate of another CA put in this folder is not kept.
    writeFileSync(join(dir, 'gateway.crt'), readFileSync(join(other, 'gateway.crt')));
    writeFileSync(join(dir, 'gateway.key'), readFileSync(join(other, 'gateway.key')));
    const again = await ensureGrpcCerts(dir);
    expect(again.createdCa).to.equal(false);
    expect(again.issued).to.have.members(['workers', 'gateway']);
    expect(cert(dir, 'gateway').verify(cert(dir, 'ca').publicKey)).to.equal(true);
    expect(readFileSync(join(dir, 'payment-service.crt'), 'utf8')).to.equal(before);
  });

  it("leaves a folder with someone else's CA (no CA key) alone", async () => {
    const dir = join(root, 'own-ca');
    await ensureGrpcCerts(dir);
    unlinkSync(join(dir, 'ca.key'));
    unlinkSync(join(dir, 'operator.crt'));
    const result = await ensureGrpcCerts(dir);
    expect(result).to.include({ external: true, createdCa: false });
    expect(existsSync(join(dir, 'operator.crt'))).to.equal(false);
  });

  it('keeps the CA key where it is told, out of the certificate folder', async () => {
    const dir = join(root, 'certs');
    const caKey = join(root, 'ca-only', 'ca.key');
    await ensureGrpcCerts(dir, { caKeyFile: caKey });
    expect(existsSync(caKey)).to.equal(true);
    expect(existsSync(join(dir, 'ca.key'))).to.equal(false);
    expect((await ensureGrpcCerts(dir, { caKeyFile: caKey })).issued).to.deep.equal([]);
  });

  it('resolves per-process overrides and names the missing file and its variable', () => {
    const config = loadConfig({
      JWT_SECRET: 'x'.repeat(32),
      SANDBOX_WEBHOOK_SECRET: 'y'.repeat(32),
      GRPC_TLS_DIR: join(root, 'nowhere'),
      GRPC_TLS_CERT_FILE: join(root, 'mine.crt'),
    });
    const paths = grpcTlsPaths(config, 'workers');
    expect(paths.ca).to.equal(join(root, 'nowhere', 'ca.crt'));
    expect(paths.cert).to.equal(join(root, 'mine.crt'));
    expect(paths.key).to.equal(join(root, 'nowhere', 'workers.key'));
    expect(() => loadGrpcTls(config, 'workers')).to.throw(/ca\.crt.*npm start.*GRPC_TLS_DIR/s);
  });
});
