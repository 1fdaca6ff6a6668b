/**
 * Idle memory and CPU of the product's processes: starts the system as `npm start` does
 * (bench/pm2-system.ts), lets it settle, prints the RSS of every process (from /proc) and the
 * total, and the CPU each used over the next 30 s with no traffic (polling, timers), then stops it.
 *
 *   npx tsx bench/idle-memory.ts [--tsx] [settleSeconds=15]
 *
 * `--tsx` runs the TypeScript sources through the tsx loader (the runtime before issue 15), for comparison.
 * BENCH_NODE_OPTIONS=… is given to every process as NODE_OPTIONS (e.g. `--max-semi-space-size=2`,
 * to see what V8's young generation holds at idle).
 */
import { join } from 'node:path';
import { Pm2System, ROOT } from './pm2-system.js';
import { cpuSeconds, mib, rssBytes } from './proc-stats.js';

const tsx = process.argv.includes('--tsx');
const settle = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 15);
const system = await Pm2System.start({
  runDir: join(ROOT, 'logs', 'bench', `idle-${Date.now()}`),
  tsx,
  env: {
    LOG_LEVEL: 'info',
    ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
  },
});
try {
  await new Promise((r) => setTimeout(r, settle * 1000));
  let total = 0;
  const rows: string[] = [];
  for (const [name, pid] of system.pids()) {
    const rss = rssBytes(pid) ?? 0;
    if (name !== 'pm2-runtime') total += rss;
    rows.push(`${name.padEnd(32)} ${mib(rss).toFixed(0).padStart(6)} MiB`);
  }
  process.stdout.write(
    `${tsx ? 'tsx loader' : 'compiled dist/'}, idle ${settle} s after start:\n${rows.join('\n')}\n` +
      `${'product processes total'.padEnd(32)} ${mib(total).toFixed(0).padStart(6)} MiB\n`,
  );
  const window = 30;
  const before = new Map([...system.pids()].map(([name, pid]) => [name, cpuSeconds(pid) ?? 0]));
  await new Promise((r) => setTimeout(r, window * 1000));
  let busy = 0;
  const cpuRows: string[] = [];
  for (const [name, pid] of system.pids()) {
    const used = (cpuSeconds(pid) ?? 0) - (before.get(name) ?? 0);
    if (name !== 'pm2-runtime') busy += used;
    cpuRows.push(`${name.padEnd(32)} ${((used / window) * 100).toFixed(1).padStart(6)} % of a core`);
  }
  process.stdout.write(
    `CPU with no traffic over ${window} s:\n${cpuRows.join('\n')}\n` +
      `${'product processes total'.padEnd(32)} ${((busy / window) * 100).toFixed(1).padStart(6)} % of a core\n`,
  );
} finally {
  await system.stop();
}
