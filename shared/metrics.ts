/**
 * Prometheus metrics (prom-client). One registry per process holds the default Node.js metrics
 * and MediaShar's series; each process fills the series of what it does and exposes them on
 * GET /metrics (the gateway on its own port, every other process on its metrics port, see
 * `startMetricsServer`). Every series is named `mediashar_*`; latencies are in seconds, as
 * Prometheus convention asks.
 */
import { createServer, type Server } from 'node:http';
import type { Redis } from 'ioredis';
import type { Queue } from 'bullmq';
import client from 'prom-client';
import type { Logger } from './logger.js';

/** The registry of this process. */
export const registry = new client.Registry();

let defaultsCollected = false;
/** Labels every series with `service` and adds the default process metrics (once). */
export function initMetrics(service: string): void {
  registry.setDefaultLabels({ service });
  if (defaultsCollected) return;
  defaultsCollected = true;
  client.collectDefaultMetrics({ register: registry, prefix: 'mediashar_' });
}

/** Buckets for request-like latencies, in seconds (1 ms … 10 s). */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** HTTP requests answered by the gateway, by method, route template and status. */
export const httpRequestDuration = new client.Histogram({
  name: 'mediashar_http_request_duration_seconds',
  help: 'Gateway HTTP request latency in seconds, by method, route template and status code',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

/** gRPC calls handled by a service, by full method name and status code name. */
export const grpcServerDuration = new client.Histogram({
  name: 'mediashar_grpc_server_handling_seconds',
  help: 'gRPC server handling latency in seconds, by method and status code',
  labelNames: ['method', 'code'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

/** BullMQ jobs processed, by queue, job name and outcome (completed | retry | delayed | failed). */
export const jobDuration = new client.Histogram({
  name: 'mediashar_job_duration_seconds',
  help: 'BullMQ job processing time in seconds, by queue, job name and outcome',
  labelNames: ['queue', 'job', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

/** Jobs in each queue by state, read from Redis at scrape time. */
export const queueDepth = new client.Gauge({
  name: 'mediashar_queue_jobs',
  help: 'Jobs in a BullMQ queue by state (waiting, active, delayed, prioritized, failed), at scrape time',
  labelNames: ['queue', 'state'] as const,
  registers: [registry],
});

/** Consumer-group lag (entries not yet delivered) and pending (delivered, not acknowledged). */
export const streamLag = new client.Gauge({
  name: 'mediashar_stream_group_entries',
  help: 'Redis stream consumer group: lag = entries not yet delivered, pending = delivered but not acknowledged',
  labelNames: ['stream', 'group', 'kind'] as const,
  registers: [registry],
});

/** Time from the payment being confirmed (event.paidAt) to the alert being emitted. */
export const alertLatency = new client.Histogram({
  name: 'mediashar_alert_latency_seconds',
  help: 'End-to-end latency from payment confirmation (paidAt) to alert emit, in seconds',
  labelNames: ['type'] as const,
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
  registers: [registry],
});

/** Alerts emitted to rooms, by event type. */
export const alertsEmitted = new client.Counter({
  name: 'mediashar_alerts_emitted_total',
  help: 'Stream events emitted to Socket.IO rooms, by event type',
  labelNames: ['type'] as const,
  registers: [registry],
});

/** Open Socket.IO connections by namespace (/overlay, /dashboard), at scrape time. */
export const connectedSockets = new client.Gauge({
  name: 'mediashar_connected_sockets',
  help: 'Open Socket.IO connections on this process, by namespace',
  labelNames: ['namespace'] as const,
  registers: [registry],
});

/** Donations written or moved to a status, by status and provider. */
export const donationsTotal = new client.Counter({
  name: 'mediashar_donations_total',
  help: 'Donations that reached a status (pending when written), by status and payment provider',
  labelNames: ['status', 'provider'] as const,
  registers: [registry],
});

/**
 * Settlements whose provider-reported amount or currency differed from the payment's (the
 * payment ended `amount_mismatch`, no alert), by provider. Anything above zero needs a look.
 */
export const paymentAmountMismatches = new client.Counter({
  name: 'mediashar_payment_amount_mismatch_total',
  help: 'Provider settlements whose amount or currency differed from the payment (payment set amount_mismatch, no alert), by provider',
  labelNames: ['provider'] as const,
  registers: [registry],
});

/**
 * Reads the job counts of `queues` at every scrape into `mediashar_queue_jobs`. A Redis error
 * leaves the previous values (a scrape never fails because Redis is away).
 */
export function collectQueueDepth(queues: Pick<Queue, 'name' | 'getJobCounts'>[]): void {
  const states = ['waiting', 'active', 'delayed', 'prioritized', 'failed'] as const;
  addCollector(async () => {
    await Promise.all(
      queues.map(async (q) => {
        const counts = await q.getJobCounts(...states);
        for (const state of states) queueDepth.set({ queue: q.name, state }, counts[state] ?? 0);
      }),
    );
  });
}

/**
 * At every scrape, how many entries of `stream` a plain reader (one per notification node) has
 * not read yet, as `group` with kind "lag" (counted up to 1,000).
 * @param position the id of the last entry the reader handled.
 */
export function collectReaderLag(redis: Redis, stream: string, group: string, position: () => string): void {
  addCollector(async () => {
    const ahead = await redis.xrange(stream, `(${position()}`, '+', 'COUNT', 1000);
    streamLag.set({ stream, group, kind: 'lag' }, ahead.length);
  });
}

/** Reads lag and pending of every group of `stream` (XINFO GROUPS) at every scrape. */
export function collectStreamLag(redis: Redis, stream: string): void {
  addCollector(async () => {
    const groups = (await redis.xinfo('GROUPS', stream)) as unknown[][];
    for (const raw of groups) {
      const info: Record<string, unknown> = {};
      for (let i = 0; i + 1 < raw.length; i += 2) info[String(raw[i])] = raw[i + 1];
      const group = String(info.name);
      // `lag` is null when Redis cannot tell (after XDEL/trim past the group); report -1 then.
      const lag = info.lag == null ? -1 : Number(info.lag);
      streamLag.set({ stream, group, kind: 'lag' }, lag);
      streamLag.set({ stream, group, kind: 'pending' }, Number(info.pending ?? 0));
    }
  });
}

const collectors: (() => Promise<void>)[] = [];
/** Runs `collect` before every scrape (bounded to 1 s; a failure keeps the last values). */
export function addCollector(collect: () => Promise<void>): void {
  collectors.push(collect);
}

async function runCollectors(): Promise<void> {
  await Promise.all(
    collectors.map((c) =>
      Promise.race([c(), new Promise<void>((r) => setTimeout(r, 1000).unref())]).catch(() => undefined),
    ),
  );
}

/** The exposition text of this process (runs the scrape-time collectors first). */
export async function metricsText(): Promise<{ contentType: string; body: string }> {
  await runCollectors();
  return { contentType: registry.contentType, body: await registry.metrics() };
}

/** A running metrics server. */
export interface MetricsServer {
  /** Stops listening (idempotent). */
  close(): Promise<void>;
}

/**
 * Serves GET /metrics on `host:port` (port 0 = no server). A port still held by the process
 * this one replaces (a pm2 reload) is retried every second instead of failing the start:
 * metrics never take a worker down.
 */
export function startMetricsServer(options: { host: string; port: number; log: Logger }): MetricsServer {
  const { host, port, log } = options;
  if (!port) return { close: () => Promise.resolve() };
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    metricsText().then(
      ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body),
      (err: unknown) => {
        log.warn({ err }, 'metrics scrape failed');
        res.writeHead(500).end();
      },
    );
  });
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  const listen = () => server.listen(port, host);
  server.on('listening', () => log.info({ metricsPort: port }, 'metrics listening'));
  server.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE' && !closed) {
      log.warn({ metricsPort: port }, 'metrics port busy (previous instance draining?): retrying');
      retry = setTimeout(listen, 1000);
      retry.unref();
      return;
    }
    log.error({ err, metricsPort: port }, 'metrics server error');
  });
  listen();
  return {
    close() {
      closed = true;
      clearTimeout(retry);
      return new Promise((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
