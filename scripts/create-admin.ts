/**
 * `npm run admin:create -- <email> <password>`: creates an admin account (Bull Board, /metrics,
 * operator routes). Admins cannot be registered through the public API.
 */
import { loadConfigOrExit } from '../shared/config.js';
import { openDatabase } from '../shared/database.js';
import { createRequestRedis } from '../shared/redis.js';
import { signAccessToken } from '../shared/access-token.js';
import { gatewayDatabase } from '../gateway/accounts/gateway.db.js';
import { AccountsStore } from '../gateway/accounts/accounts.store.js';
import { secretBoxKeys } from '../shared/secret-box.js';

const [email, password] = process.argv.slice(2);
if (!email || !password || password.length < 12) {
  process.stderr.write('usage: npm run admin:create -- <email> <password of at least 12 characters>\n');
  process.exit(2);
}
const config = loadConfigOrExit();
const orm = await openDatabase(gatewayDatabase(config.GATEWAY_DATABASE_URL, 2));
const redis = createRequestRedis(config, 'create-admin');
try {
  const accounts = new AccountsStore(orm, redis, config.REDIS_PREFIX, secretBoxKeys(config));
  const { user } = await accounts.register({ email, password, role: 'admin' });
  const token = await signAccessToken(config, { sub: user.id, role: 'admin' });
  process.stdout.write(
    `Admin ${user.email} created (id ${user.id}).\nAccess token (valid ${config.ACCESS_TOKEN_TTL_S} s): ${token}\n`,
  );
} catch (err) {
  process.stderr.write(`could not create the admin: ${(err as Error).message}\n`);
  process.exitCode = 1;
} finally {
  redis.disconnect();
  await orm.close();
}
