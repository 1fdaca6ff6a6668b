/**
 * `npm run admin:reset-password -- <email> [new password]`: sets a user's password (a random one,
 * printed, when none is given) and ends all of that user's sessions. The way back in until
 * password reset by email exists.
 */
import { randomBytes } from 'node:crypto';
import { loadConfigOrExit } from '../shared/config.js';
import { openDatabase } from '../shared/database.js';
import { createRequestRedis } from '../shared/redis.js';
import { gatewayDatabase } from '../gateway/accounts/gateway.db.js';
import { AccountsStore } from '../gateway/accounts/accounts.store.js';
import { SessionStore } from '../gateway/accounts/sessions.store.js';
import { secretBoxKeys } from '../shared/secret-box.js';

const [email, given] = process.argv.slice(2);
if (!email || (given !== undefined && (given.length < 8 || given.length > 200))) {
  process.stderr.write('usage: npm run admin:reset-password -- <email> [new password of 8–200 characters]\n');
  process.exit(2);
}
const config = loadConfigOrExit();
const orm = await openDatabase(gatewayDatabase(config.GATEWAY_DATABASE_URL, 2));
const redis = createRequestRedis(config, 'reset-password');
try {
  const accounts = new AccountsStore(orm, redis, config.REDIS_PREFIX, secretBoxKeys(config));
  const user = await accounts.userByEmail(email);
  if (!user) {
    process.stderr.write(`no account has the email ${email}\n`);
    process.exitCode = 1;
  } else {
    // 18 random bytes → 24 characters of base64url: ~144 bits.
    const password = given ?? randomBytes(18).toString('base64url');
    await accounts.setPassword(user.id, password);
    const ended = await new SessionStore(orm, config.JWT_SECRET, config.REFRESH_TOKEN_TTL_S).revokeAll(
      user.id,
      'password',
    );
    process.stdout.write(
      `Password of ${user.email} (${user.role}) ${given ? 'set' : 'reset'}; ${ended} session(s) ended.\n` +
        (given ? '' : `New password: ${password}\n`),
    );
  }
} catch (err) {
  process.stderr.write(`could not reset the password: ${(err as Error).message}\n`);
  process.exitCode = 1;
} finally {
  redis.disconnect();
  await orm.close();
}
