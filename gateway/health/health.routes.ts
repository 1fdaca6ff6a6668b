/**
 * GET /health (the gateway itself) and GET /services/health: each gRPC service through
 * grpc.health.v1, each database (SELECT 1) and Redis (PING), with status and latency; 200 when
 * all are up, 503 naming what is down. Each probe has its own timeout, so a hung service makes
 * the answer slower by at most that bound, never a hang.
 */
import * as grpc from '@grpc/grpc-js';
import Router from '@koa/router';
import {
  channelCredentials,
  clientOptionsFor,
  loadPackageDefinition,
  SERVICE_NAMES,
} from '../../shared/grpc.js';
import { loadGrpcTls } from '../../shared/grpc-tls.js';
import type { GatewayDeps } from '../gateway.deps.js';

/** Per-probe timeout, in ms. */
export const PROBE_TIMEOUT_MS = 1500;

interface HealthClient extends grpc.Client {
  Check(
    req: { service: string },
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    cb: (err: grpc.ServiceError | null, res?: { status: string }) => void,
  ): void;
}

type Probe = () => Promise<void>;

async function timed(probe: Probe): Promise<{ status: 'up' | 'down'; latencyMs: number; error?: string }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)),
          PROBE_TIMEOUT_MS,
        );
      }),
    ]);
    return { status: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    return {
      status: 'down',
      latencyMs: Math.round(performance.now() - started),
      error: (err as Error).message,
    };
  } finally {
    clearTimeout(timer);
  }
}

export function healthRouter(deps: GatewayDeps): Router {
  const { config } = deps;
  const router = new Router();
  const loaded = grpc.loadPackageDefinition(loadPackageDefinition()) as unknown as {
    grpc: {
      health: {
        v1: {
          Health: new (
            addr: string,
            creds: grpc.ChannelCredentials,
            options: grpc.ClientOptions,
          ) => HealthClient;
        };
      };
    };
  };
  const Health = loaded.grpc.health.v1.Health;
  const services = {
    'donation-service': { addr: config.DONATION_SERVICE_ADDR, name: SERVICE_NAMES.donation },
    'payment-service': { addr: config.PAYMENT_SERVICE_ADDR, name: SERVICE_NAMES.payment },
    'notification-service': { addr: config.NOTIFICATION_SERVICE_ADDR, name: SERVICE_NAMES.notification },
  };
  // Health is open to any certificate of the install; the gateway presents its own.
  const credentials = channelCredentials(loadGrpcTls(config, 'gateway'));
  const healthClients = Object.fromEntries(
    (Object.keys(services) as (keyof typeof services)[]).map((k) => [
      k,
      new Health(services[k].addr, credentials, clientOptionsFor(k)),
    ]),
  );
  const grpcProbe =
    (key: keyof typeof services): Probe =>
    () =>
      new Promise<void>((resolve, reject) => {
        healthClients[key]!.Check(
          { service: services[key].name },
          new grpc.Metadata(),
          { deadline: Date.now() + PROBE_TIMEOUT_MS },
          (err, res) => {
            if (err) reject(new Error(err.details || err.message));
            else if (res?.status !== 'SERVING') reject(new Error(`health status ${res?.status}`));
            else resolve();
          },
        );
      });

  router.get('/health', (ctx) => {
    ctx.body = { status: 'ok', service: 'gateway', uptimeS: Math.round(process.uptime()) };
  });

  router.get('/services/health', async (ctx) => {
    const probes: Record<string, Probe> = {
      'donation-service': grpcProbe('donation-service'),
      'payment-service': grpcProbe('payment-service'),
      'notification-service': grpcProbe('notification-service'),
      ...deps.databaseProbes,
      redis: async () => {
        await deps.redis.ping();
      },
    };
    const entries = await Promise.all(
      Object.entries(probes).map(async ([name, probe]) => [name, await timed(probe)] as const),
    );
    const checks = Object.fromEntries(entries);
    const down = entries.filter(([, r]) => r.status === 'down').map(([name]) => name);
    ctx.status = down.length ? 503 : 200;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: down.length ? 'degraded' : 'ok', down, checks };
  });

  return router;
}
