/**
 * `npm start`: the whole system on this machine. Writes .env with fresh secrets when there is
 * none, creates and migrates the three databases, then runs every process in the foreground
 * with pm2-runtime and prints where each part answers. Ctrl-C stops everything.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import webpush from 'web-push';
import { join } from 'node:path';
import { loadConfigOrExit, enabledProviders } from '../shared/config.js';
import { createLogger } from '../shared/logger.js';
import { migrateAll } from './migrate.js';
import { ensureWebBuild } from './web-build.js';
import { ensureServerBuild } from './build.js';
import { ensureGrpcCerts } from './certs.js';

const ROOT = join(import.meta.dirname, '..');

function ensureDotEnv(): void {
  const file = join(ROOT, '.env');
  // Secrets given in the environment (CI, containers, tests) need no file.
  if (existsSync(file) || (process.env.JWT_SECRET && process.env.SANDBOX_WEBHOOK_SECRET)) return;
  writeFileSync(
    file,
    [
      '# Written by npm start on first run: secrets of this install. See .env.example for every variable.',
      `JWT_SECRET=${randomBytes(32).toString('base64url')}`,
      `ENCRYPTION_SECRET=${randomBytes(32).toString('base64url')}`,
      `SANDBOX_WEBHOOK_SECRET=${randomBytes(32).toString('base64url')}`,
      '# Development: the built-in sandbox provider pays without money. Remove for a public install.',
      'SANDBOX_ENABLED=true',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  process.stdout.write('Created .env with fresh secrets for this install.\n');
}

/**
 * Browser push needs a VAPID key pair of the install: made once into .env (also into an older
 * .env without one), unless the environment gives one.
 */
function ensureVapidKeys(): void {
  const file = join(ROOT, '.env');
  if (process.env.VAPID_PUBLIC_KEY || process.env.MEDIASHAR_NO_DOTENV === '1' || !existsSync(file)) return;
  if (/^VAPID_PUBLIC_KEY=./m.test(readFileSync(file, 'utf8'))) return;
  const keys = webpush.generateVAPIDKeys();
  appendFileSync(
    file,
    [
      '# Browser push (VAPID) keys of this install, written by npm start.',
      `VAPID_PUBLIC_KEY=${keys.publicKey}`,
      `VAPID_PRIVATE_KEY=${keys.privateKey}`,
      '',
    ].join('\n'),
  );
  process.stdout.write('Added browser push (VAPID) keys to .env.\n');
}

async function waitForHealth(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return true;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

async function main(): Promise<void> {
  ensureDotEnv();
  ensureVapidKeys();
  const config = loadConfigOrExit();
  const log = createLogger('start', config.LOG_LEVEL);
  // The install's CA and one certificate per process role (mutual TLS between processes),
  // unless the operator points at certificates of their own.
  if (!config.GRPC_TLS_CA_FILE && !config.GRPC_TLS_CERT_FILE && !config.GRPC_TLS_KEY_FILE) {
    const certs = await ensureGrpcCerts(config.GRPC_TLS_DIR);
    if (certs.issued.length)
      process.stdout.write(
        `${certs.createdCa ? 'Created a CA and' : 'Issued'} gRPC certificates in ${certs.dir} (${certs.issued.join(', ')}).\n`,
      );
  }
  await migrateAll(config, log);
  if (!config.GOOGLE_TTS_API_KEY && spawnSync(config.ESPEAK_PATH, ['--version']).error)
    process.stdout.write(
      `Text-to-speech is off: ${config.ESPEAK_PATH} is not installed. Install it with\n` +
        '  sudo apt-get install espeak-ng      (Debian/Ubuntu; macOS: brew install espeak-ng)\n' +
        'or set GOOGLE_TTS_API_KEY in .env to use Google Cloud Text-to-Speech.\n',
    );
  ensureWebBuild((line) => process.stdout.write(`${line}\n`));
  if (await ensureServerBuild()) process.stdout.write('Built the server processes into dist/.\n');
  const pm2 = spawn(join(ROOT, 'node_modules', '.bin', 'pm2-runtime'), ['start', 'ecosystem.config.js'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  const stop = () => pm2.kill('SIGINT');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  pm2.on('exit', (code) => process.exit(code ?? 0));
  if (await waitForHealth(new URL('/services/health', config.PUBLIC_URL).toString(), 90_000)) {
    const base = config.PUBLIC_URL.replace(/\/$/, '');
    process.stdout.write(
      [
        '',
        'MediaShar is running:',
        `  API            ${base}/api/v1   (health: ${base}/health, ${base}/services/health)`,
        `  Bull Board     ${base}/admin/queues   (admins: npm run admin:create -- <email> <password>)`,
        `  Docs           ${base}/docs`,
        `  Overlay        ${base}/overlay#token=…   (your URL: GET ${base}/api/v1/me/overlay)`,
        `  Realtime       ${config.REALTIME_PUBLIC_URL}  (Socket.IO /overlay, /dashboard)`,
        `  gRPC           ${config.DONATION_SERVICE_ADDR} · ${config.PAYMENT_SERVICE_ADDR} · ${config.NOTIFICATION_SERVICE_ADDR}`,
        `  Providers      ${enabledProviders(config).join(', ') || 'none: set provider keys, or SANDBOX_ENABLED=true in .env for development'}`,
        '  Try it:        npm run demo      Stop: Ctrl-C',
        '',
      ].join('\n'),
    );
  } else {
    log.warn('services did not all report healthy within 90 s: see the logs above');
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`npm start failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
