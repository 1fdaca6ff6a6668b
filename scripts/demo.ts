/**
 * `npm run demo`: against a running system (npm start), creates or reuses the streamer "demo",
 * connects an overlay client, donates, pays through the sandbox, and prints the alert as the
 * overlay received it with its end-to-end latency.
 */
import { io } from 'socket.io-client';
import { loadConfigOrExit } from '../shared/config.js';
import type { AlertPayload } from '../shared/queues.js';

const config = loadConfigOrExit();
const base = config.PUBLIC_URL.replace(/\/$/, '');
const account = {
  email: 'demo@mediashar.local',
  password: 'demo password 123',
  username: 'demo',
  displayName: 'Demo Streamer',
  role: 'streamer',
};

async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      accept: 'application/json',
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(15_000),
  });
  return { status: res.status, body: (await res.json()) as T };
}

async function main(): Promise<void> {
  const health = await fetch(`${base}/health`).catch(() => null);
  if (!health?.ok) throw new Error(`MediaShar is not answering at ${base}: run npm start first`);
  // Registration answers alike for a new and a known email; logging in tells whether it worked.
  await api('POST', '/api/v1/auth/register', account);
  const login = await api<{ accessToken: string; error?: { message: string } }>(
    'POST',
    '/api/v1/auth/login',
    {
      email: account.email,
      password: account.password,
    },
  );
  if (login.status !== 200)
    throw new Error(`cannot sign in as the demo streamer: ${login.body.error?.message ?? login.status}`);
  const token = login.body.accessToken;
  const overlay = await api<{ overlayUrl: string; token: string }>(
    'GET',
    '/api/v1/me/overlay',
    undefined,
    token,
  );
  const { body: publicConfig } = await api<{ realtimeUrl: string }>('GET', '/api/v1/config');
  console.log(`Streamer page:  ${base}/${account.username}`);
  if (overlay.status !== 200)
    throw new Error(`GET /api/v1/me/overlay answered ${overlay.status}: ${JSON.stringify(overlay.body)}`);
  console.log(`Overlay URL:    ${overlay.body.overlayUrl}`);

  const socket = io(`${publicConfig.realtimeUrl}/overlay`, {
    transports: ['websocket'],
    auth: { token: overlay.body.token },
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  console.log('Overlay client connected.');

  const message = `Halo dari demo ${new Date().toLocaleTimeString('id-ID')}!`;
  const created = await api<{ id: string; checkout?: { url: string }; error?: { message: string } }>(
    'POST',
    `/api/v1/streamers/${account.username}/donations`,
    {
      donorName: 'Demo Donor',
      amount: '25000',
      currency: 'IDR',
      message,
      provider: 'sandbox',
    },
  );
  if (!created.body.checkout) throw new Error(`donation not created: ${JSON.stringify(created.body)}`);
  console.log(`Donation ${created.body.id} → checkout ${created.body.checkout.url}`);
  const paymentId = created.body.checkout.url.split('/').pop()!;

  const alert = new Promise<AlertPayload>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no alert within 15 s')), 15_000);
    socket.on('alert', (a: AlertPayload) => {
      if (a.donationId === created.body.id) {
        clearTimeout(timer);
        resolve(a);
      }
    });
  });
  const paidAt = performance.now();
  const pay = await api<{ sent?: string; error?: { message: string } }>(
    'POST',
    `/sandbox/checkout/${paymentId}/pay`,
  );
  if (pay.status !== 200) throw new Error(`sandbox pay failed: ${pay.body.error?.message ?? pay.status}`);
  const received = await alert;
  const latencyMs = Math.round(performance.now() - paidAt);
  console.log('\nAlert received by the overlay:');
  console.log(`  ${received.donorName} — ${received.formattedAmount}`);
  console.log(`  "${received.message}"`);
  console.log(`  event ${received.eventId}; Pay click → overlay: ${latencyMs} ms`);
  socket.close();
}

main().catch((err: unknown) => {
  console.error(`demo failed: ${(err as Error).message}`);
  process.exit(1);
});
