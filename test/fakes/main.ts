/**
 * Runs one provider fake for local use:
 *   npm run fake:midtrans -- <port> [--webhook-url URL]
 *   npm run fake:stripe -- <port> [--webhook-url URL]
 *   npm run fake:paypal -- <port> [--webhook-url URL]
 * Keys come from the app's own configuration (shared/config.ts: environment and .env), so the app
 * and the fake agree: MIDTRANS_SERVER_KEY, STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET,
 * PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET, PAYPAL_WEBHOOK_ID. Webhooks go to PUBLIC_URL's gateway.
 */
import { parseArgs } from 'node:util';
import { loadConfigOrExit, type Config } from '../../shared/config.js';
import { startMidtransFake } from './midtrans.fake.js';
import { startStripeFake } from './stripe.fake.js';
import { startPayPalFake } from './paypal.fake.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { 'webhook-url': { type: 'string' } },
});
const [provider, portArg] = positionals;
const port = Number(portArg ?? 0);
if (!provider || !Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write('usage: tsx test/fakes/main.ts <midtrans|stripe|paypal> <port> [--webhook-url URL]\n');
  process.exit(2);
}
const config = loadConfigOrExit();
const webhookUrl =
  values['webhook-url'] ?? new URL(`/api/v1/webhooks/${provider}`, config.PUBLIC_URL).toString();
const need = (name: keyof Config): string => {
  const v = config[name];
  if (typeof v !== 'string' || !v) {
    process.stderr.write(`${name} must be set (the same value the app uses)\n`);
    process.exit(2);
  }
  return v;
};

const running =
  provider === 'midtrans'
    ? await startMidtransFake({ port, serverKey: need('MIDTRANS_SERVER_KEY'), webhookUrl })
    : provider === 'stripe'
      ? await startStripeFake({
          port,
          secretKey: need('STRIPE_SECRET_KEY'),
          webhookSecret: need('STRIPE_WEBHOOK_SECRET'),
          webhookUrl,
        })
      : provider === 'paypal'
        ? await startPayPalFake({
            port,
            clientId: need('PAYPAL_CLIENT_ID'),
            clientSecret: need('PAYPAL_CLIENT_SECRET'),
            webhookId: need('PAYPAL_WEBHOOK_ID'),
            webhookUrl,
          })
        : (process.stderr.write(`unknown provider ${provider}\n`), process.exit(2));
process.stdout.write(`${provider} fake listening on ${running.url}; webhooks to ${webhookUrl}\n`);
const stop = () => void running.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
