/**
 * `npm run db:migrate`: creates each service database that does not exist yet and applies its
 * pending migrations. A second run changes nothing.
 */
import { loadConfigOrExit } from '../shared/config.js';
import { createLogger } from '../shared/logger.js';
import { migrateDatabase } from '../shared/database.js';
import { gatewayDatabase } from '../gateway/accounts/gateway.db.js';
import { donationDatabase } from '../grpc/donation/donation.db.js';
import { paymentDatabase } from '../grpc/payment/payment.db.js';
import type { Config } from '../shared/config.js';
import type { Logger } from '../shared/logger.js';

/** Migrates the three databases. @returns applied migration names per database. */
export async function migrateAll(config: Config, log?: Logger): Promise<Record<string, string[]>> {
  return {
    gateway_db: await migrateDatabase(gatewayDatabase(config.GATEWAY_DATABASE_URL), log),
    donation_db: await migrateDatabase(donationDatabase(config.DONATION_DATABASE_URL), log),
    payment_db: await migrateDatabase(paymentDatabase(config.PAYMENT_DATABASE_URL), log),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const config = loadConfigOrExit();
  const log = createLogger('migrate', config.LOG_LEVEL);
  migrateAll(config, log).then(
    (applied) => {
      const count = Object.values(applied).flat().length;
      log.info({ applied }, count ? `applied ${count} migration(s)` : 'all databases are current');
    },
    (err: unknown) => {
      log.fatal({ err }, 'migration failed');
      process.exit(1);
    },
  );
}
