import type { Config, ProviderName } from '../../../shared/config.js';
import { enabledProviders } from '../../../shared/config.js';
import { ValidationError } from '../../../shared/errors.js';
import type { PaymentProvider } from './payment-provider.js';
import { SandboxProvider } from './sandbox.provider.js';

/** The providers this install has keys for, by name. */
export type ProviderRegistry = ReadonlyMap<ProviderName, PaymentProvider>;

/** Builds every enabled provider plugin from the configuration. */
export function createProviders(config: Config): ProviderRegistry {
  const registry = new Map<ProviderName, PaymentProvider>();
  for (const name of enabledProviders(config)) {
    switch (name) {
      case 'sandbox':
        registry.set(name, new SandboxProvider(config.SANDBOX_WEBHOOK_SECRET, config.PUBLIC_URL));
        break;
      case 'midtrans':
      case 'stripe':
      case 'paypal':
        // Real providers are added by their own plugins.
        break;
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
