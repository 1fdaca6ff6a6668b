/**
 * One gRPC bootstrap for the three services: proto loading, the standard health service
 * (grpc.health.v1), server reflection, the handler wrapper that maps errors to status codes,
 * answers exactly once and refuses peers the table of shared/grpc-peers.ts does not allow, and
 * clients that always carry a deadline. Servers and clients speak mutual TLS only: a server
 * accepts a connection only with a client certificate from the install's CA.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ROOT } from './root.js';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation } from 'grpc-health-check';
import type { ProtoGrpcType as DonationProto } from '../proto/generated/donation.js';
import type { ProtoGrpcType as PaymentProto } from '../proto/generated/payment.js';
import type { ProtoGrpcType as NotificationProto } from '../proto/generated/notification.js';
import { AppError, type ErrorCode } from './errors.js';
import { allowedRoles, isPeerRole, type PeerRole, type ServerRole } from './grpc-peers.js';
import type { GrpcTls } from './grpc-tls.js';
import type { Logger } from './logger.js';
import { isTransientError, UNAVAILABLE_MESSAGE } from './transient.js';
import { grpcServerDuration } from './metrics.js';

const require = createRequire(import.meta.url);
const PROTO_DIR = join(ROOT, 'proto');
const HEALTH_PROTO_DIR = join(dirname(require.resolve('grpc-health-check/package.json')), 'proto');

/** Loader options matching `npm run proto:gen` (camelCase fields, int64 as number). */
export const PROTO_LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_DIR, HEALTH_PROTO_DIR],
};

const PROTO_FILES = [
  'mediashar/v1/donation.proto',
  'mediashar/v1/payment.proto',
  'mediashar/v1/notification.proto',
  'health/v1/health.proto',
];

let packageDefinition: protoLoader.PackageDefinition | undefined;
/** The package definition of every MediaShar proto plus grpc.health.v1 (loaded once). */
export function loadPackageDefinition(): protoLoader.PackageDefinition {
  packageDefinition ??= protoLoader.loadSync(PROTO_FILES, PROTO_LOADER_OPTIONS);
  return packageDefinition;
}

type MediaSharGrpc = DonationProto & PaymentProto & NotificationProto;
/** The loaded `mediashar.v1` package, typed by the generated code. */
export function mediasharPackage(): MediaSharGrpc['mediashar']['v1'] {
  const loaded = grpc.loadPackageDefinition(loadPackageDefinition()) as unknown as MediaSharGrpc;
  return loaded.mediashar.v1;
}

/** Fully qualified service names. */
export const SERVICE_NAMES = {
  donation: 'mediashar.v1.DonationService',
  payment: 'mediashar.v1.PaymentService',
  notification: 'mediashar.v1.NotificationService',
} as const;

const STATUS_BY_CODE: Record<ErrorCode, grpc.status> = {
  VALIDATION_FAILED: grpc.status.INVALID_ARGUMENT,
  NOT_FOUND: grpc.status.NOT_FOUND,
  CONFLICT: grpc.status.ALREADY_EXISTS,
  UNAUTHENTICATED: grpc.status.UNAUTHENTICATED,
  FORBIDDEN: grpc.status.PERMISSION_DENIED,
  INVALID_SIGNATURE: grpc.status.UNAUTHENTICATED,
  PROVIDER_UNAVAILABLE: grpc.status.UNAVAILABLE,
  PROVIDER_REJECTED: grpc.status.FAILED_PRECONDITION,
  RATE_LIMITED: grpc.status.RESOURCE_EXHAUSTED,
  PAYLOAD_TOO_LARGE: grpc.status.INVALID_ARGUMENT,
  UNAVAILABLE: grpc.status.UNAVAILABLE,
  INTERNAL: grpc.status.INTERNAL,
};

/** Metadata key carrying the app error code across gRPC, so clients rebuild the same error. */
const ERROR_CODE_KEY = 'x-mediashar-error-code';
const ERROR_DETAILS_KEY = 'x-mediashar-error-details';
/** Metadata key of the request id that follows a donation through every process. */
export const REQUEST_ID_KEY = 'x-request-id';

function toServiceError(err: unknown, log: Logger, method: string): Partial<grpc.ServiceError> {
  const metadata = new grpc.Metadata();
  if (err instanceof AppError) {
    metadata.set(ERROR_CODE_KEY, err.code);
    if (err.details) metadata.set(ERROR_DETAILS_KEY, JSON.stringify(err.details));
    return { code: STATUS_BY_CODE[err.code], details: err.message, metadata };
  }
  if (isTransientError(err)) {
    // Redis or PostgreSQL away: the caller retries later (503), this is not a bug.
    log.warn({ err, method }, 'gRPC handler: a dependency is unavailable');
    metadata.set(ERROR_CODE_KEY, 'UNAVAILABLE');
    return { code: grpc.status.UNAVAILABLE, details: UNAVAILABLE_MESSAGE, metadata };
  }
  log.error({ err, method }, 'gRPC handler failed');
  metadata.set(ERROR_CODE_KEY, 'INTERNAL');
  return { code: grpc.status.INTERNAL, details: 'Internal error', metadata };
}

type PeerCall = Pick<grpc.ServerUnaryCall<unknown, unknown>, 'getAuthContext'>;
const roleOfCall = new WeakMap<PeerCall, PeerRole | undefined>();

/**
 * The role of the caller: the Common Name of the client certificate it presented, which the TLS
 * handshake verified against the install's CA. Undefined when there is no verified certificate
 * or its name is not a MediaShar role.
 */
export function peerRole(call: PeerCall): PeerRole | undefined {
  // getAuthContext() parses and fingerprints the peer certificate on each call (tens of µs):
  // once per gRPC call, however many checks ask.
  if (roleOfCall.has(call)) return roleOfCall.get(call);
  const cn = call.getAuthContext()?.sslPeerCertificate?.subject?.CN;
  const role = isPeerRole(cn) ? cn : undefined;
  roleOfCall.set(call, role);
  return role;
}

/**
 * Refuses a caller whose role may not call the method (shared/grpc-peers.ts); a method missing
 * from the table is refused to everyone.
 * @throws {AppError} FORBIDDEN (PERMISSION_DENIED) with `details.peer` naming the caller's role.
 */
function authorizePeer(call: PeerCall & { getPath(): string; getPeer(): string }, log: Logger): PeerRole {
  const role = peerRole(call);
  const path = call.getPath();
  if (!role || !allowedRoles(path)?.includes(role)) {
    log.warn({ peerRole: role, peer: call.getPeer(), method: path }, 'gRPC call refused: peer not allowed');
    throw new AppError('FORBIDDEN', `peer ${role ?? '(unknown)'} may not call ${path}`, {
      peer: role ?? null,
      method: path,
    });
  }
  return role;
}

/**
 * Wraps an async unary handler: checks that the peer may call the method (else
 * PERMISSION_DENIED), then resolves → callback(null, value); throws → callback(error with a gRPC
 * status mapped from the AppError code). The callback is called exactly once.
 */
export function unary<Req, Res>(
  log: Logger,
  method: string,
  handler: (request: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res>,
): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    let answered = false;
    const timer = grpcServerDuration.startTimer({ method });
    const answer = (err: Partial<grpc.ServiceError> | null, value?: Res): void => {
      if (answered) return;
      answered = true;
      timer({ code: grpc.status[err?.code ?? grpc.status.OK] });
      callback(err, value);
    };
    Promise.resolve()
      .then(() => {
        authorizePeer(call, log);
        return handler(call.request, call);
      })
      .then(
        (value) => answer(null, value),
        (err: unknown) => answer(toServiceError(err, log, method)),
      );
  };
}

/**
 * Wraps an async server-streaming handler: checks the peer like {@link unary}; errors end the
 * stream with a mapped status.
 */
export function serverStream<Req, Res>(
  log: Logger,
  method: string,
  handler: (call: grpc.ServerWritableStream<Req, Res>) => Promise<void>,
): grpc.handleServerStreamingCall<Req, Res> {
  return (call) => {
    const timer = grpcServerDuration.startTimer({ method });
    Promise.resolve()
      .then(() => {
        authorizePeer(call, log);
        return handler(call);
      })
      .then(
        () => {
          timer({ code: grpc.status[grpc.status.OK] });
          call.end();
        },
        (err: unknown) => {
          const serviceError = toServiceError(err, log, method);
          timer({ code: grpc.status[serviceError.code ?? grpc.status.UNKNOWN] });
          // 'error' makes grpc-js end the stream with this status; destroy() would end it without
          // sending any status, and the client would wait forever.
          call.emit('error', Object.assign(new Error('stream failed'), serviceError));
        },
      );
  };
}

/** The request id sent by the caller, or a fallback. */
export function requestIdOf(call: { metadata: grpc.Metadata }, fallback = ''): string {
  const value = call.metadata.get(REQUEST_ID_KEY)[0];
  return typeof value === 'string' && value ? value : fallback;
}

/** A started gRPC server with its health service. */
export interface GrpcServerHandle {
  server: grpc.Server;
  health: HealthImplementation;
  port: number;
  /** Marks NOT_SERVING, then drains in-flight calls (force-closing after `graceMs`). Idempotent. */
  shutdown(graceMs?: number): Promise<void>;
}

/**
 * Server credentials of mutual TLS: the server presents `tls.cert` and accepts only clients whose
 * certificate chains to `tls.ca` (the handshake fails for anyone else).
 */
export function serverCredentials(tls: GrpcTls): grpc.ServerCredentials {
  return grpc.ServerCredentials.createSsl(tls.ca, [{ private_key: tls.key, cert_chain: tls.cert }], true);
}

/**
 * Refuses to start a service whose methods the peer table does not cover: such a method would
 * be refused to every caller at run time.
 * @throws naming the methods without an entry in shared/grpc-peers.ts.
 */
function assertPeerTableCovers(serviceName: string): void {
  const definition = loadPackageDefinition()[serviceName] as Record<string, { path: string }> | undefined;
  if (!definition) return;
  const missing = Object.values(definition)
    .map((m) => m.path)
    .filter((path) => !allowedRoles(path));
  if (missing.length)
    throw new Error(`shared/grpc-peers.ts PEER_ACCESS has no entry for ${missing.join(', ')}`);
}

/**
 * Starts a gRPC server on mutual TLS with health (SERVING for '' and `serviceName`) and
 * reflection, open to every holder of a valid client certificate; the service's own methods
 * check the peer's role through the {@link unary} / {@link serverStream} wrappers.
 * @throws when the port cannot be bound, or when the peer table misses a method.
 */
export async function startGrpcServer(options: {
  serviceName: string;
  host: string;
  port: number;
  register: (server: grpc.Server) => void;
  log: Logger;
  /** This service's certificate and the CA its clients must chain to. */
  tls: GrpcTls;
}): Promise<GrpcServerHandle> {
  assertPeerTableCovers(options.serviceName);
  const server = new grpc.Server({ 'grpc.keepalive_permit_without_calls': 1 });
  const health = new HealthImplementation({ '': 'SERVING', [options.serviceName]: 'SERVING' });
  health.addToServer(server);
  new ReflectionService(loadPackageDefinition()).addToServer(server);
  options.register(server);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${options.host}:${options.port}`, serverCredentials(options.tls), (err, bound) =>
      err ? reject(err) : resolve(bound),
    );
  });
  options.log.info({ port, grpcService: options.serviceName }, 'gRPC server listening');
  let closing: Promise<void> | undefined;
  return {
    server,
    health,
    port,
    shutdown(graceMs = 10_000) {
      closing ??= new Promise<void>((resolve) => {
        health.setStatus('', 'NOT_SERVING');
        health.setStatus(options.serviceName, 'NOT_SERVING');
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, graceMs);
        force.unref();
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
      return closing;
    },
  };
}

/** Client-side view of a gRPC failure, carrying the server's AppError code when there was one. */
export class GrpcCallError extends AppError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly grpcCode: grpc.status,
    details?: Record<string, unknown>,
  ) {
    super(code, message, details);
  }
}

export function fromServiceError(err: grpc.ServiceError): GrpcCallError {
  const code = err.metadata?.get(ERROR_CODE_KEY)[0];
  const detailsRaw = err.metadata?.get(ERROR_DETAILS_KEY)[0];
  let details: Record<string, unknown> | undefined;
  if (typeof detailsRaw === 'string') {
    try {
      details = JSON.parse(detailsRaw) as Record<string, unknown>;
    } catch {
      details = undefined;
    }
  }
  if (typeof code === 'string') return new GrpcCallError(code as ErrorCode, err.details, err.code, details);
  const unavailable = [grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED, grpc.status.CANCELLED];
  const error = new GrpcCallError(
    unavailable.includes(err.code) ? 'UNAVAILABLE' : 'INTERNAL',
    unavailable.includes(err.code) ? UNAVAILABLE_MESSAGE : 'Internal error',
    err.code,
  );
  // The transport's details name internal addresses (connect ECONNREFUSED 10.0.0.5:9092): kept
  // for the log, never in the message a person reads.
  error.cause = err.details;
  return error;
}

type UnaryMethod<Req, Res> = (
  argument: Req,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: grpc.requestCallback<Res>,
) => grpc.ClientUnaryCall;
export type { UnaryMethod };

/**
 * Calls a unary method with a deadline (ms from now) and the request id in metadata.
 * @throws {GrpcCallError} carrying the server's error code, or UNAVAILABLE on deadline/transport.
 */
export function callUnary<Req, Res>(
  client: grpc.Client,
  method: UnaryMethod<Req, Res>,
  request: Req,
  options: { deadlineMs: number; requestId?: string; metadata?: [string, string][] },
): Promise<Res> {
  const metadata = new grpc.Metadata();
  if (options.requestId) metadata.set(REQUEST_ID_KEY, options.requestId);
  // The end user's identity the gateway forwards (shared/caller-identity.ts).
  for (const [key, value] of options.metadata ?? []) metadata.set(key, value);
  return new Promise<Res>((resolve, reject) => {
    method.call(client, request, metadata, { deadline: Date.now() + options.deadlineMs }, (err, value) => {
      if (err) reject(fromServiceError(err));
      else resolve(value as Res);
    });
  });
}

/** Client options shared by every MediaShar gRPC client. */
export const CLIENT_OPTIONS: grpc.ClientOptions = {
  'grpc.keepalive_time_ms': 30_000,
  'grpc.enable_retries': 1,
  // A service back after an outage is reached within ~1 s: grpc-js's default backoff (1 s
  // growing ×1.6 to 120 s) kept calls failing for tens of seconds after the service was up.
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 1000,
};

/**
 * Channel credentials of mutual TLS: the client presents `tls.cert` and trusts servers whose
 * certificate chains to `tls.ca`.
 */
export function channelCredentials(tls: GrpcTls): grpc.ChannelCredentials {
  return grpc.credentials.createSsl(tls.ca, tls.key, tls.cert);
}

/**
 * Options of a client of one service: the server's certificate must name that service's role
 * (SAN DNS), whatever address it is dialled at, so another process's certificate cannot
 * impersonate it.
 */
export function clientOptionsFor(server: ServerRole): grpc.ClientOptions {
  return { ...CLIENT_OPTIONS, 'grpc.ssl_target_name_override': server };
}

/** Creates the three typed clients for `host:port` addresses, presenting `tls` (mutual TLS). */
export function createClients(
  addrs: { donation: string; payment: string; notification: string },
  tls: GrpcTls,
) {
  const pkg = mediasharPackage();
  const credentials = channelCredentials(tls);
  return {
    donation: new pkg.DonationService(addrs.donation, credentials, clientOptionsFor('donation-service')),
    payment: new pkg.PaymentService(addrs.payment, credentials, clientOptionsFor('payment-service')),
    notification: new pkg.NotificationService(
      addrs.notification,
      credentials,
      clientOptionsFor('notification-service'),
    ),
  };
}
export type MediaSharClients = ReturnType<typeof createClients>;
