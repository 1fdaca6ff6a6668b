/**
 * The install's own certificate authority for mutual TLS between processes: `npm start` calls
 * {@link ensureGrpcCerts} on every start (creating what is missing, renewing what expires within
 * 30 days), and `npm run certs` does the same alone (the one-shot `certs` service of
 * docker-compose.yml runs it).
 *
 * Layout of the folder (GRPC_TLS_DIR, `.certs` by default, git-ignored): `ca.crt`, `ca.key` and
 * `<role>.crt` / `<role>.key` per role of shared/grpc-peers.ts. Each certificate names its role in
 * the Common Name; the service roles also serve, under their role name (SAN DNS, which clients
 * check instead of the address they dial) plus localhost / 127.0.0.1 / ::1 for grpcurl. Keys are
 * ECDSA P-256, PKCS#8 PEM, mode 0600. Made with @peculiar/x509 on WebCrypto: no openssl CLI.
 */
import 'reflect-metadata';
import { X509Certificate, createPrivateKey, webcrypto } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as x509 from '@peculiar/x509';
import { PEER_ROLES, SERVER_ROLES, type PeerRole } from '../shared/grpc-peers.js';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;
/** Lifetime of the CA, in days [3650]. */
const CA_DAYS = 3650;
/** Lifetime of a process certificate, in days [730]; renewed by `npm start` when under 30 left. */
const LEAF_DAYS = 730;
const RENEW_BEFORE_MS = 30 * DAY_MS;

export interface EnsureCertsOptions {
  /** Where the CA's private key lives [<dir>/ca.key]; keep it away from the processes. */
  caKeyFile?: string;
  /** Roles to issue for [every role of shared/grpc-peers.ts]. */
  roles?: readonly PeerRole[];
}

/** What {@link ensureGrpcCerts} did. */
export interface EnsureCertsResult {
  dir: string;
  /** True when a new CA was made (every certificate was then issued again). */
  createdCa: boolean;
  /** Roles whose certificate was issued now. */
  issued: PeerRole[];
  /** True when the folder has a CA certificate without its key: certificates from the
   * operator's own CA, which are left alone. */
  external: boolean;
}

function pem(der: ArrayBuffer, label: 'CERTIFICATE' | 'PRIVATE KEY'): string {
  return `${x509.PemConverter.encode(der, label)}\n`;
}

/** Writes through a temporary file and a rename, so a reader never sees half a file. */
function writeAtomic(file: string, content: string, mode: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, content, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, file);
}

function usable(certFile: string, keyFile: string, check: (cert: X509Certificate) => boolean): boolean {
  if (!existsSync(certFile) || !existsSync(keyFile)) return false;
  try {
    const cert = new X509Certificate(readFileSync(certFile));
    const key = createPrivateKey(readFileSync(keyFile));
    return (
      cert.checkPrivateKey(key) &&
      new Date(cert.validFrom).getTime() <= Date.now() &&
      new Date(cert.validTo).getTime() - Date.now() > RENEW_BEFORE_MS &&
      check(cert)
    );
  } catch {
    return false;
  }
}

/** The Common Name of a certificate's subject (Node prints the subject one attribute a line). */
export function commonName(cert: X509Certificate): string | undefined {
  return cert.subject
    .split('\n')
    .find((l) => l.startsWith('CN='))
    ?.slice(3);
}

/** A fresh ECDSA P-256 key pair. */
async function generateKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
}

async function keyPem(key: CryptoKey): Promise<string> {
  return pem(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

/** A CA certificate and key: a new self-signed one, written to `certFile` and `keyFile`. */
async function createCa(certFile: string, keyFile: string, name: string): Promise<void> {
  const keys = await generateKeys();
  const notBefore = new Date(Date.now() - 5 * 60_000);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name,
    notBefore,
    notAfter: new Date(notBefore.getTime() + CA_DAYS * DAY_MS),
    signingAlgorithm: SIGNING,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  mkdirSync(dirname(keyFile), { recursive: true, mode: 0o700 });
  writeAtomic(keyFile, await keyPem(keys.privateKey), 0o600);
  writeAtomic(certFile, cert.toString('pem') + '\n', 0o644);
}

/**
 * Issues one role's certificate, signed by the CA, and writes `<role>.crt` and `<role>.key`.
 * Service roles get serverAuth and clientAuth with SANs of their role name and the loopback
 * names; the others clientAuth only.
 */
async function issue(dir: string, role: PeerRole, ca: x509.X509Certificate, caKey: CryptoKey): Promise<void> {
  const keys = await generateKeys();
  const serves = (SERVER_ROLES as readonly string[]).includes(role);
  const notBefore = new Date(Date.now() - 5 * 60_000);
  const cert = await x509.X509CertificateGenerator.create({
    subject: `CN=${role}, O=MediaShar`,
    issuer: ca.subject,
    notBefore,
    notAfter: new Date(notBefore.getTime() + LEAF_DAYS * DAY_MS),
    signingAlgorithm: SIGNING,
    publicKey: keys.publicKey,
    signingKey: caKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension(
        serves
          ? [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]
          : [x509.ExtendedKeyUsage.clientAuth],
      ),
      ...(serves
        ? [
            new x509.SubjectAlternativeNameExtension([
              { type: 'dns', value: role },
              { type: 'dns', value: 'localhost' },
              { type: 'ip', value: '127.0.0.1' },
              { type: 'ip', value: '::1' },
            ]),
          ]
        : []),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
    ],
  });
  writeAtomic(join(dir, `${role}.key`), await keyPem(keys.privateKey), 0o600);
  writeAtomic(join(dir, `${role}.crt`), cert.toString('pem') + '\n', 0o644);
}

/**
 * Makes sure `dir` holds a CA and a valid certificate per role: creates the CA when it is
 * missing or expires within 30 days (then every role is issued again), and issues each role
 * whose certificate is missing, not from this CA, not for its role, or expiring within 30 days.
 * Idempotent; fast when everything is in place (no key generation). A folder holding `ca.crt`
 * but no CA key is the operator's own CA: nothing is written then.
 */
export async function ensureGrpcCerts(
  dirPath: string,
  options: EnsureCertsOptions = {},
): Promise<EnsureCertsResult> {
  const dir = resolve(dirPath);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caCertFile = join(dir, 'ca.crt');
  const caKeyFile = resolve(options.caKeyFile ?? join(dir, 'ca.key'));
  if (existsSync(caCertFile) && !existsSync(caKeyFile))
    return { dir, createdCa: false, issued: [], external: true };
  const createdCa = !usable(caCertFile, caKeyFile, (c) => c.ca);
  if (createdCa)
    await createCa(caCertFile, caKeyFile, `CN=MediaShar install CA ${webcrypto.randomUUID()}, O=MediaShar`);
  const caNode = new X509Certificate(readFileSync(caCertFile));
  const ca = new x509.X509Certificate(readFileSync(caCertFile, 'utf8'));
  let caKey: CryptoKey | undefined;
  const issued: PeerRole[] = [];
  for (const role of options.roles ?? PEER_ROLES) {
    const fresh = usable(
      join(dir, `${role}.crt`),
      join(dir, `${role}.key`),
      (c) => c.checkIssued(caNode) && c.verify(caNode.publicKey) && commonName(c) === role,
    );
    if (fresh && !createdCa) continue;
    caKey ??= await webcrypto.subtle.importKey(
      'pkcs8',
      x509.PemConverter.decodeFirst(readFileSync(caKeyFile, 'utf8')),
      EC,
      false,
      ['sign'],
    );
    await issue(dir, role, ca, caKey);
    issued.push(role);
  }
  return { dir, createdCa, issued, external: false };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { dir: { type: 'string' }, 'ca-key': { type: 'string' } },
  });
  const dir: string =
    values.dir ?? (await import('../shared/config.js').then((m) => m.loadConfigOrExit().GRPC_TLS_DIR));
  ensureGrpcCerts(dir, { caKeyFile: values['ca-key'] }).then(
    (r) => {
      process.stdout.write(
        r.external
          ? `gRPC certificates in ${r.dir} come from your own CA: left as they are\n`
          : r.issued.length
            ? `gRPC certificates in ${r.dir}: ${r.createdCa ? 'new CA, ' : ''}issued ${r.issued.join(', ')}\n`
            : `gRPC certificates in ${r.dir} are current\n`,
      );
    },
    (err: unknown) => {
      process.stderr.write(`creating gRPC certificates failed: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
}
