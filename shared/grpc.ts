/**
 * One gRPC bootstrap for the three services: proto loading, the standard health service
 * (grpc.health.v1), server reflection, the handler wrapper that maps errors to status codes and
 * answers exactly once, and clients that always carry a deadline.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation } from 'grpc-health-check';
import type { ProtoGrpcType as DonationProto } from '../proto/generated/donation.js';
import type { ProtoGrpcType as PaymentProto } from '../proto/generated/payment.js';
import type { ProtoGrpcType as NotificationProto } from '../proto/generated/notification.js';
import { AppError, type ErrorCode } from './errors.js';
import type { Logger } from './logger.js';
import { grpcServerDuration } from './metrics.js';

const require = createRequire(import.meta.url);
const PROTO_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'proto');
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
  log.error({ err, method }, 'gRPC handler failed');
  metadata.set(ERROR_CODE_KEY, 'INTERNAL');
  return { code: grpc.status.INTERNAL, details: 'Internal error', metadata };
}

/**
 * Wraps an async unary handler: resolves → callback(null, value); throws → callback(error with a
 * gRPC status mapped from the AppError code). The callback is called exactly once.
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
    handler(call.request, call).then(
      (value) => answer(null, value),
      (err: unknown) => answer(toServiceError(err, log, method)),
    );
  };
}

/** Wraps an async server-streaming handler: errors end the stream with a mapped status. */
export function serverStream<Req, Res>(
  log: Logger,
  method: string,
  handler: (call: grpc.ServerWritableStream<Req, Res>) => Promise<void>,
): grpc.handleServerStreamingCall<Req, Res> {
  return (call) => {
    const timer = grpcServerDuration.startTimer({ method });
    handler(call).then(
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
 * Starts a gRPC server with health (SERVING for '' and `serviceName`) and reflection.
 * @throws when the port cannot be bound.
 */
export async function startGrpcServer(options: {
  serviceName: string;
  host: string;
  port: number;
  register: (server: grpc.Server) => void;
  log: Logger;
}): Promise<GrpcServerHandle> {
  const server = new grpc.Server({ 'grpc.keepalive_permit_without_calls': 1 });
  const health = new HealthImplementation({ '': 'SERVING', [options.serviceName]: 'SERVING' });
  health.addToServer(server);
  new ReflectionService(loadPackageDefinition()).addToServer(server);
  options.register(server);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(
      `${options.host}:${options.port}`,
      grpc.ServerCredentials.createInsecure(),
      (err, bound) => (err ? reject(err) : resolve(bound)),
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

function fromServiceError(err: grpc.ServiceError): GrpcCallError {
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
  return new GrpcCallError(
    unavailable.includes(err.code) ? 'UNAVAILABLE' : 'INTERNAL',
    unavailable.includes(err.code) ? `Service unavailable: ${err.details}` : 'Internal error',
    err.code,
  );
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
  options: { deadlineMs: number; requestId?: string },
): Promise<Res> {
  const metadata = new grpc.Metadata();
  if (options.requestId) metadata.set(REQUEST_ID_KEY, options.requestId);
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
};

/** Creates the three typed clients for `host:port` addresses. */
export function createClients(addrs: { donation: string; payment: string; notification: string }) {
  const pkg = mediasharPackage();
  const insecure = grpc.credentials.createInsecure();
  return {
    donation: new pkg.DonationService(addrs.donation, insecure, CLIENT_OPTIONS),
    payment: new pkg.PaymentService(addrs.payment, insecure, CLIENT_OPTIONS),
    notification: new pkg.NotificationService(addrs.notification, insecure, CLIENT_OPTIONS),
  };
}
export type MediaSharClients = ReturnType<typeof createClients>;
