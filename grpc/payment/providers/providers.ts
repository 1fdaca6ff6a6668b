import type { Config, ProviderName } from '../../../shared/config.js';
import { enabledProviders } from '../../../shared/config.js';
import { ValidationError } from '../../../shared/errors.js';
import type { PaymentProvider } from './payment-provider.js';
import { SandboxProvider } from './sandbox.provider.js';

/** PayPal's REST hosts (developer.paypal.com/api/rest/requests). */
const PAYPAL_SANDBOX_URL = 'https://api-m.sandbox.paypal.com';
const PAYPAL_LIVE_URL = 'https://api-m.paypal.com';

/** The providers this install has keys for, by name. */
export type ProviderRegistry = ReadonlyMap<ProviderName, PaymentProvider>;

/**
 * Builds every enabled provider plugin from the configuration. Each provider's SDK is loaded
 * only when the install has its keys (stripe, midtrans-client and PayPal's SDK take 15–40 MiB
 * of memory each in every process that loads them).
 */
export async function createProviders(config: Config): Promise<ProviderRegistry> {
  const registry = new Map<ProviderName, PaymentProvider>();
  for (const name of enabledProviders(config)) {
    switch (name) {
      case 'sandbox':
        registry.set(name, new SandboxProvider(config.SANDBOX_WEBHOOK_SECRET, config.PUBLIC_URL));
        break;
      case 'midtrans': {
        const { MidtransProvider } = await import('./midtrans.provider.js');
        registry.set(
          name,
          new MidtransProvider({
            serverKey: config.MIDTRANS_SERVER_KEY!,
            clientKey: config.MIDTRANS_CLIENT_KEY,
            isProduction: config.MIDTRANS_IS_PRODUCTION,
            apiUrl: config.MIDTRANS_API_URL,
            snapUrl: config.MIDTRANS_SNAP_URL,
            mode: config.MIDTRANS_CHECKOUT_MODE,
            publicUrl: config.PUBLIC_URL,
          }),
        );
        break;
      }
      case 'stripe': {
        const { StripeProvider } = await import('./stripe.provider.js');
        registry.set(
          name,
          new StripeProvider({
            secretKey: config.STRIPE_SECRET_KEY!,
            webhookSecret: config.STRIPE_WEBHOOK_SECRET!,
            apiUrl: config.STRIPE_API_URL,
            publicUrl: config.PUBLIC_URL,
            webhookClockMs: config.STRIPE_WEBHOOK_CLOCK_S ? config.STRIPE_WEBHOOK_CLOCK_S * 1000 : undefined,
          }),
        );
        break;
      }
      case 'paypal': {
        const { PayPalProvider } = await import('./paypal.provider.js');
        registry.set(
          name,
          new PayPalProvider({
            clientId: config.PAYPAL_CLIENT_ID!,
            clientSecret: config.PAYPAL_CLIENT_SECRET!,
            webhookId: config.PAYPAL_WEBHOOK_ID,
            apiUrl:
              config.PAYPAL_API_URL ??
              (config.NODE_ENV === 'production' ? PAYPAL_LIVE_URL : PAYPAL_SANDBOX_URL),
            publicUrl: config.PUBLIC_URL,
          }),
        );
        break;
      }
    }
  }
  return registry;
}

/**
 * The provider plugin for a name.
 * @throws {ValidationError} when the provider is unknown or not enabled on this install.
 */
export function providerFor(registry: ProviderRegistry, name: string): PaymentProvider {
  const provider = registry.get(name as ProviderName);
  if (!provider) {
    throw new ValidationError(`Payment provider "${name}" is not enabled on this install`, {
      fields: { provider: `must be one of: ${[...registry.keys()].join(', ')}` },
    });
  }
  return provider;
}
