/**
 * Certificates for the systems tests start: one install CA and one certificate per role, made
 * once per test process (the first isolatedEnvironment() call) in a temporary folder that every
 * TestSystem, pm2 system and npm start of that process shares, and removed when it exits.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { ensureGrpcCerts } from '../../scripts/certs.js';
import { channelCredentials } from '../../shared/grpc.js';
import type { PeerRole } from '../../shared/grpc-peers.js';
import type { GrpcTls } from '../../shared/grpc-tls.js';

let shared: Promise<string> | undefined;

/** A folder of fresh certificates of its own (created now), removed when the process exits. */
export async function freshCertsDir(prefix = 'mediashar-certs-'): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  await ensureGrpcCerts(dir);
  return dir;
}

/** The certificate folder shared by every system of this test process (GRPC_TLS_DIR). */
export function testCertsDir(): Promise<string> {
  shared ??= freshCertsDir('mediashar-test-certs-');
  return shared;
}

/** The TLS material of `role` in a certificate folder. */
export function tlsOf(dir: string, role: PeerRole): GrpcTls {
  return {
    role,
    ca: readFileSync(join(dir, 'ca.crt')),
    cert: readFileSync(join(dir, `${role}.crt`)),
    key: readFileSync(join(dir, `${role}.key`)),
  };
}

/** Channel credentials presenting `role`'s certificate from a certificate folder. */
export function credentialsOf(dir: string, role: PeerRole): grpc.ChannelCredentials {
  return channelCredentials(tlsOf(dir, role));
}
