/**
 * The other side of two baselines, run as its own process so that producer and consumer do not
 * share one event loop (as in the real system): `bullmq-worker <redisUrl> <prefix> <queue>
 * <count>` processes no-op jobs with one Worker at concurrency 100; `socketio-client <url>
 * <count>` counts emits. Each prints `ready` when listening and `done` after `count` items.
 */
import { Worker } from 'bullmq';
import { io } from 'socket.io-client';

const [mode, ...args] = process.argv.slice(2);

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

if (mode === 'bullmq-worker') {
  const [redisUrl, prefix, queue, count] = args as [string, string, string, string];
  let done = 0;
  const url = new URL(redisUrl);
  const worker = new Worker(
    queue,
    () => {
      if (++done === Number(count)) setImmediate(() => say('done'));
      return Promise.resolve();
    },
    {
      connection: { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null },
      prefix,
      concurrency: 100,
    },
  );
  void worker.waitUntilReady().then(() => say('ready'));
  process.on('SIGTERM', () => void worker.close().then(() => process.exit(0)));
} else if (mode === 'socketio-client') {
  const [url, count] = args as [string, string];
  let received = 0;
  const socket = io(url, { transports: ['websocket'] });
  socket.on('connect', () => say('ready'));
  socket.on('x', () => {
    if (++received === Number(count)) say('done');
  });
  process.on('SIGTERM', () => {
    socket.close();
    process.exit(0);
  });
} else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exit(2);
}
