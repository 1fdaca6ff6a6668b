/**
 * The mutual-TLS material of one process: the CA its peers must chain to, and its own
 * certificate and key, read from GRPC_TLS_DIR (or the GRPC_TLS_*_FILE overrides). The files are
 * made by `npm start` on first run (scripts/certs.ts) or brought from the operator's own CA.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from './config.js';
import type { PeerRole } from './grpc-peers.js';

/** PEM bytes of a process's TLS identity. */
export interface GrpcTls {
  /** The role this process presents (the Common Name of `cert`). */
  role: PeerRole;
  /** CA certificate(s) that every peer's certificate must chain to. */
  ca: Buffer;
  /** This process's certificate chain. */
  cert: Buffer;
  /** This process's private key. */
  key: Buffer;
}

/** File paths of a role's material under a configuration. */
export function grpcTlsPaths(
  config: Pick<Config, 'GRPC_TLS_DIR' | 'GRPC_TLS_CA_FILE' | 'GRPC_TLS_CERT_FILE' | 'GRPC_TLS_KEY_FILE'>,
  role: PeerRole,
): { ca: string; cert: string; key: string } {
  const dir = resolve(config.GRPC_TLS_DIR);
  return {
    ca: resolve(config.GRPC_TLS_CA_FILE ?? resolve(dir, 'ca.crt')),
    cert: resolve(config.GRPC_TLS_CERT_FILE ?? resolve(dir, `${role}.crt`)),
    key: resolve(config.GRPC_TLS_KEY_FILE ?? resolve(dir, `${role}.key`)),
  };
}

/** A certificate or key file that cannot be read; names the file and the variable to set. */
export class GrpcTlsFileError extends Error {
  readonly code = 'GRPC_TLS_FILE_MISSING';
  constructor(file: string, variable: string, cause: unknown) {
    super(
      `gRPC TLS file ${file} cannot be read (${(cause as Error).message}): run \`npm start\` (or ` +
        `\`npm run certs\`) once to create the install's certificates, or set ${variable}`,
    );
    this.name = 'GrpcTlsFileError';
  }
}

/**
 * Reads the CA, certificate and key of `role`.
 * @throws {GrpcTlsFileError} naming the missing file and the variable that points to it.
 */
export function loadGrpcTls(config: Config, role: PeerRole): GrpcTls {
  const paths = grpcTlsPaths(config, role);
  const read = (file: string, variable: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new GrpcTlsFileError(file, variable, err);
    }
  };
  return {
    role,
    ca: read(paths.ca, config.GRPC_TLS_CA_FILE ? 'GRPC_TLS_CA_FILE' : 'GRPC_TLS_DIR'),
    cert: read(paths.cert, config.GRPC_TLS_CERT_FILE ? 'GRPC_TLS_CERT_FILE' : 'GRPC_TLS_DIR'),
    key: read(paths.key, config.GRPC_TLS_KEY_FILE ? 'GRPC_TLS_KEY_FILE' : 'GRPC_TLS_DIR'),
  };
}
