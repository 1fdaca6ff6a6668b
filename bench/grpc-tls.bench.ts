/**
 * CPU cost of mutual TLS per gRPC call: N unary calls (DonationService.GetStats, a canned answer)
 * from this process to a server in a child process, on plaintext and on mutual TLS with the
 * install's certificates (a bare handler; the same reading the caller's verified role; the real
 * `unary` wrapper with its peer check, metrics timer and error mapping). CPU time is process.cpuUsage() of both processes around the measured calls,
 * after warm-up calls that open the channel (the handshake is paid once per channel, not per
 * call). The modes run in turns, `rounds` times (the first turn also warms this process's JIT up);
 * prints one JSON line per measurement, then the median per mode and its difference per call.
 *
 *   npx tsx bench/grpc-tls.bench.ts [calls=5000] [concurrency=50] [rounds=3]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { ensureGrpcCerts } from '../scripts/certs.js';
import {
  channelCredentials,
  clientOptionsFor,
  CLIENT_OPTIONS,
  callUnary,
  mediasharPackage,
  peerRole,
  serverCredentials,
  unary,
} from '../shared/grpc.js';
import { createLogger } from '../shared/logger.js';
import type { GrpcTls } from '../shared/grpc-tls.js';
import { tlsOf } from '../test/support/grpc-certs.js';

type DonationClient = InstanceType<ReturnType<typeof mediasharPackage>['DonationService']>;
type Mode = 'plaintext' | 'mtls' | 'mtls+peer-role' | 'mtls+unary-wrapper';
const MODES: Mode[] = ['plaintext', 'mtls', 'mtls+peer-role', 'mtls+unary-wrapper'];
const STATS = { totals: [], days: [], topDonors: [] };

interface CpuUs {
  user: number;
  system: number;
}
type ToChild = { cmd: 'start' } | { cmd: 'stop' };
type FromChild = { port: number } | { started: true } | { cpu: CpuUs };

/** The server side (child process): serves GetStats in one mode, reports its CPU between start and stop. */
async function serve(mode: Mode, dir: string): Promise<void> {
  const log = createLogger('grpc-tls-bench', 'warn');
  const server = new grpc.Server();
  const pkg = mediasharPackage();
  const bare: grpc.handleUnaryCall<unknown, unknown> = (_call, callback) => callback(null, STATS);
  // peer-role: the bare handler plus reading the verified certificate's role (what the peer
  // check costs); unary-wrapper: the real wrapper (peer check, metrics timer, error mapping).
  const withRole: grpc.handleUnaryCall<unknown, unknown> = (call, callback) =>
    callback(peerRole(call) ? null : { code: grpc.status.PERMISSION_DENIED }, STATS);
  const handlers = {
    GetStats:
      mode === 'mtls+unary-wrapper'
        ? unary(log, 'GetStats', () => Promise.resolve(STATS))
        : mode === 'mtls+peer-role'
          ? withRole
          : bare,
  };
  server.addService(pkg.DonationService.service, handlers);
  const credentials =
    mode === 'plaintext'
      ? grpc.ServerCredentials.createInsecure()
      : serverCredentials(tlsOf(dir, 'donation-service'));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', credentials, (err, p) => (err ? reject(err) : resolve(p))),
  );
  let since = process.cpuUsage();
  process.on('message', (msg: ToChild) => {
    if (msg.cmd === 'start') {
      since = process.cpuUsage();
      process.send!({ started: true } satisfies FromChild);
    } else {
      process.send!({ cpu: process.cpuUsage(since) } satisfies FromChild, () => {
        server.forceShutdown();
        process.exit(0);
      });
    }
  });
  process.send!({ port } satisfies FromChild);
}

function ask(
  child: ChildProcess,
  msg: ToChild | undefined,
  pick: (m: FromChild) => boolean,
): Promise<FromChild> {
  return new Promise((resolve) => {
    const onMessage = (m: FromChild) => {
      if (!pick(m)) return;
      child.off('message', onMessage);
      resolve(m);
    };
    child.on('message', onMessage);
    if (msg) child.send(msg);
  });
}

/** `calls` GetStats calls, `concurrency` at a time, through the processes' own client path. */
async function run(client: DonationClient, calls: number, concurrency: number): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < calls) {
      next++;
      // eslint-disable-next-line @typescript-eslint/unbound-method -- callUnary calls it on `client`
      await callUnary(client, client.GetStats, { streamerId: 'x' }, { deadlineMs: 10_000 });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
}

/** One mode: starts the server child, warms the channel up, measures `calls` calls. */
async function measure(mode: Mode, dir: string, tls: GrpcTls, calls: number, concurrency: number) {
  const child = fork(import.meta.filename, ['--serve', mode, dir], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { port } = (await ask(child, undefined, (m) => 'port' in m)) as { port: number };
  const pkg = mediasharPackage();
  const client = new pkg.DonationService(
    `127.0.0.1:${port}`,
    mode === 'plaintext' ? grpc.credentials.createInsecure() : channelCredentials(tls),
    mode === 'plaintext' ? CLIENT_OPTIONS : clientOptionsFor('donation-service'),
  );
  await run(client, 1000, concurrency);
  await ask(child, { cmd: 'start' }, (m) => 'started' in m);
  const clientSince = process.cpuUsage();
  const started = performance.now();
  await run(client, calls, concurrency);
  const seconds = (performance.now() - started) / 1000;
  const clientCpu = process.cpuUsage(clientSince);
  const { cpu: serverCpu } = (await ask(child, { cmd: 'stop' }, (m) => 'cpu' in m)) as { cpu: CpuUs };
  client.close();
  const us = (c: CpuUs) => c.user + c.system;
  return {
    mode,
    calls,
    concurrency,
    callsPerS: Math.round(calls / seconds),
    clientCpuUsPerCall: +(us(clientCpu) / calls).toFixed(1),
    serverCpuUsPerCall: +(us(serverCpu) / calls).toFixed(1),
    totalCpuUsPerCall: +((us(clientCpu) + us(serverCpu)) / calls).toFixed(1),
  };
}

async function main(): Promise<void> {
  const calls = Number(process.argv[2] ?? 5000);
  const concurrency = Number(process.argv[3] ?? 50);
  const rounds = Number(process.argv[4] ?? 3);
  const dir = mkdtempSync(join(tmpdir(), 'mediashar-tls-bench-'));
  try {
    await ensureGrpcCerts(dir);
    const tls = tlsOf(dir, 'gateway');
    // Unmeasured: warms this process up, so the first measured mode is not the slow one.
    await measure('plaintext', dir, tls, calls, concurrency);
    const byMode = new Map<Mode, Awaited<ReturnType<typeof measure>>[]>();
    for (let round = 0; round < rounds; round++) {
      for (const mode of MODES) {
        const result = await measure(mode, dir, tls, calls, concurrency);
        byMode.set(mode, [...(byMode.get(mode) ?? []), result]);
        process.stdout.write(`${JSON.stringify({ round, ...result })}\n`);
      }
    }
    const median = (mode: Mode, key: 'clientCpuUsPerCall' | 'serverCpuUsPerCall' | 'totalCpuUsPerCall') => {
      const values = byMode
        .get(mode)!
        .map((r) => r[key])
        .sort((a, b) => a - b);
      return values[Math.floor(values.length / 2)]!;
    };
    const plain = median('plaintext', 'totalCpuUsPerCall');
    for (const mode of MODES) {
      const total = median(mode, 'totalCpuUsPerCall');
      process.stdout.write(
        `${mode}: median ${total} µs CPU per call (client ${median(mode, 'clientCpuUsPerCall')}, server ` +
          `${median(mode, 'serverCpuUsPerCall')})${mode === 'plaintext' ? '' : `, ${(total - plain).toFixed(1)} µs over plaintext`}\n`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--serve') {
  await serve(process.argv[3] as Mode, process.argv[4]!);
} else {
  await main();
}
