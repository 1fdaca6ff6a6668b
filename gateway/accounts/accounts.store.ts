/**
 * Accounts over gateway_db: users with argon2id password hashes, streamer profiles and settings,
 * and overlay tokens (random 256-bit, looked up by SHA-256, kept encrypted so the streamer can
 * copy the URL again, mirrored into Redis for the notification service's handshake check).
 */
import { createHash, randomBytes } from 'node:crypto';
import { SecretBox, type SecretBoxKeys } from '../../shared/secret-box.js';
import argon2 from 'argon2';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import { uuidv7 } from 'uuidv7';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
  ValidationError,
} from '../../shared/errors.js';
import { KEYS } from '../../shared/queues.js';
import type { Role } from '../../shared/access-token.js';
import {
  DEFAULT_STREAMER_SETTINGS,
  type StreamerRow,
  type StreamerSettings,
  type UserRow,
} from './gateway.db.js';

/** Usernames that would collide with the product's own paths. */
export const RESERVED_USERNAMES = new Set([
  'api', 'admin', 'overlay', 'overlays', 'sandbox', 'docs', 'health', 'metrics', 'dashboard', 'login', 'logout',
  'register', 'signup', 'signin', 'settings', 'services', 'socket.io', 'static', 'assets', 'widgets', 'widget',
  'donate', 'donations', 'streamers', 'me', 'auth', 'webhooks', 'config', 'public', 'favicon.ico', 'robots.txt',
  'mediashar', 'support', 'help', 'about', 'terms', 'privacy', 'status', 'www', 'root', 'system', 'null', 'undefined',
]); // prettier-ignore

type RawRow = Record<string, unknown>;

function toUser(r: RawRow): UserRow {
  return {
    id: r.id as string,
    email: r.email as string,
    passwordHash: r.password_hash as string,
    role: r.role as Role,
    createdAt: new Date(r.created_at as string),
  };
}

function toStreamer(r: RawRow): StreamerRow {
  return {
    userId: r.user_id as string,
    username: r.username as string,
    displayName: r.display_name as string,
    avatarUrl: r.avatar_url as string,
    minDonationMinor: Number(r.min_donation_minor),
    currency: String(r.currency),
    overlayTokenHash: r.overlay_token_hash as string,
    overlayTokenEnc: r.overlay_token_enc as string,
    settings: { ...DEFAULT_STREAMER_SETTINGS, ...(r.settings as Partial<StreamerSettings>) },
    createdAt: new Date(r.created_at as string),
  };
}

/** SHA-256 hex of an overlay token. */
export function overlayTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface RegisterInput {
  email: string;
  password: string;
  role: Role;
  username?: string;
  displayName?: string;
}

export class AccountsStore {
  private readonly box: SecretBox;
  private readonly cache = new Map<string, { row: StreamerRow; at: number }>();

  /**
   * @param secret install secret the overlay-token encryption key is derived from (HKDF-SHA256).
   * @param cacheMs how long a public streamer lookup is cached in this process, in ms.
   */
  constructor(
    private readonly orm: MikroORM,
    private readonly redis: Redis,
    private readonly prefix: string,
    secret: string | SecretBoxKeys,
    private readonly cacheMs = 2000,
  ) {
    // Its own key (HKDF label per purpose), with the key id in each ciphertext: rotating
    // JWT_SECRET leaves it readable (shared/secret-box.ts).
    this.box = new SecretBox(typeof secret === 'string' ? { current: secret } : secret, 'overlay-token');
  }

  private conn() {
    return this.orm.em.fork().getConnection();
  }

  /**
   * Creates a user (and a streamer profile for streamers).
   * @throws {ConflictError} when the email or username is taken; {ValidationError} for a
   *   reserved username.
   */
  async register(input: RegisterInput): Promise<{ user: UserRow; streamer: StreamerRow | null }> {
    if (input.role === 'streamer') {
      if (!input.username)
        throw new ValidationError('username is required for streamers', { fields: { username: 'required' } });
      if (RESERVED_USERNAMES.has(input.username.toLowerCase())) {
        throw new ValidationError(`username "${input.username}" is reserved`, {
          fields: { username: 'reserved, choose another' },
        });
      }
    }
    const passwordHash = await argon2.hash(input.password, { type: argon2.argon2id });
    const id = uuidv7();
    const em = this.orm.em.fork();
    try {
      return await em.transactional(async (tx) => {
        const conn = tx.getConnection();
        const ctx = tx.getTransactionContext();
        const users = await conn.execute<RawRow[]>(
          'insert into users (id, email, password_hash, role) values (?, ?, ?, ?) returning *',
          [id, input.email.toLowerCase(), passwordHash, input.role],
          'all',
          ctx,
        );
        let streamer: StreamerRow | null = null;
        if (input.role === 'streamer') {
          const token = randomBytes(32).toString('base64url');
          const rows = await conn.execute<RawRow[]>(
            `insert into streamers (user_id, username, display_name, min_donation_minor, currency, overlay_token_hash, overlay_token_enc, settings)
             values (?, ?, ?, ?, 'IDR', ?, ?, ?::jsonb) returning *`,
            [
              id,
              input.username,
              input.displayName ?? input.username,
              1_000_00,
              overlayTokenHash(token),
              this.encrypt(token),
              JSON.stringify(DEFAULT_STREAMER_SETTINGS),
            ],
            'all',
            ctx,
          );
          streamer = toStreamer(rows[0]!);
          await this.redis.set(KEYS.overlayToken(this.prefix, streamer.overlayTokenHash), id);
        }
        return { user: toUser(users[0]!), streamer };
      });
    } catch (err) {
      if ((err as { code?: string }).code === '23505') {
        const what = String((err as Error).message).includes('username') ? 'username' : 'email';
        throw new ConflictError(`That ${what} is already registered`, {
          fields: { [what]: 'already taken' },
        });
      }
      throw err;
    }
  }

  /**
   * Checks an email and password.
   * @throws {UnauthenticatedError} with the same message whether the email or the password is wrong.
   */
  async login(email: string, password: string): Promise<{ user: UserRow; streamer: StreamerRow | null }> {
    const rows = await this.conn().execute<RawRow[]>(
      'select * from users where lower(email) = lower(?)',
      [email],
      'all',
    );
    const user = rows[0] ? toUser(rows[0]) : null;
    // Verify against a dummy hash when the user is unknown, so timing does not tell.
    const ok = user
      ? await argon2.verify(user.passwordHash, password)
      : await argon2
          .verify(
            '$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$2cHQ2nyJ8hzh5o5PBp0lNaUJ4hRikMv0nk4ZHuB8+Ew',
            password,
          )
          .catch(() => false);
    if (!user || !ok) throw new UnauthenticatedError('Email or password is wrong');
    // Said only after the password checked out, so a guesser learns nothing from it.
    if (rows[0]!.disabled_at) throw new ForbiddenError('This account is disabled: ask the install’s admin');
    return { user, streamer: user.role === 'streamer' ? await this.streamerById(user.id) : null };
  }

  /** Whether `password` is the user's password. */
  async checkPassword(userId: string, password: string): Promise<boolean> {
    const rows = await this.conn().execute<RawRow[]>(
      'select password_hash from users where id = ?',
      [userId],
      'all',
    );
    if (!rows[0]) return false;
    return argon2.verify(rows[0].password_hash as string, password).catch(() => false);
  }

  /**
   * Sets a new password (argon2id). Sessions are the caller's business.
   * @throws {NotFoundError} when the user does not exist.
   */
  async setPassword(userId: string, password: string): Promise<void> {
    const hash = await argon2.hash(password, { type: argon2.argon2id });
    const rows = await this.conn().execute<RawRow[]>(
      'update users set password_hash = ? where id = ? returning id',
      [hash, userId],
      'all',
    );
    if (!rows[0]) throw new NotFoundError('User not found');
  }

  /** The user's login email and when it was verified (null: not yet). @throws {NotFoundError} */
  async emailStatus(userId: string): Promise<{ email: string; verifiedAt: Date | null }> {
    const rows = await this.conn().execute<RawRow[]>(
      'select email, email_verified_at from users where id = ?',
      [userId],
      'all',
    );
    if (!rows[0]) throw new NotFoundError('User not found');
    const at = rows[0].email_verified_at;
    return { email: rows[0].email as string, verifiedAt: at ? new Date(at as string) : null };
  }

  /** Marks the user's email verified (the first time counts; later calls change nothing). */
  async markEmailVerified(userId: string): Promise<void> {
    await this.conn().execute(
      'update users set email_verified_at = coalesce(email_verified_at, now()) where id = ?',
      [userId],
    );
  }

  /** A user by email (case-insensitive), or null. */
  async userByEmail(email: string): Promise<UserRow | null> {
    const rows = await this.conn().execute<RawRow[]>(
      'select * from users where lower(email) = lower(?)',
      [email],
      'all',
    );
    return rows[0] ? toUser(rows[0]) : null;
  }

  /** @throws {NotFoundError} */
  async streamerById(userId: string): Promise<StreamerRow> {
    const rows = await this.conn().execute<RawRow[]>(
      'select * from streamers where user_id = ?',
      [userId],
      'all',
    );
    if (!rows[0]) throw new NotFoundError('Streamer profile not found');
    return toStreamer(rows[0]);
  }

  /**
   * A streamer by public username (cached briefly per process: the donation hot path).
   * @throws {NotFoundError}
   */
  async streamerByUsername(username: string): Promise<StreamerRow> {
    // Usernames are [A-Za-z0-9_] (registerSchema): anything else (a NUL from a URL, which
    // PostgreSQL cannot even compare) is simply no streamer.
    if (!/^[A-Za-z0-9_]{1,64}$/.test(username)) throw new NotFoundError(`Streamer not found`);
    const key = username.toLowerCase();
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < this.cacheMs) return hit.row;
    // A streamer an admin disabled is not available, exactly like one that does not exist.
    const rows = await this.conn().execute<RawRow[]>(
      `select s.* from streamers s join users u on u.id = s.user_id
        where lower(s.username) = ? and u.disabled_at is null`,
      [key],
      'all',
    );
    if (!rows[0]) throw new NotFoundError(`Streamer "${username}" not found or not available`);
    const row = toStreamer(rows[0]);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { row, at: Date.now() });
    return row;
  }

  /** Drops this process's cached public lookups (after an admin disabled or enabled a streamer). */
  forgetCached(): void {
    this.cache.clear();
  }

  /** The streamer's overlay token in clear. */
  overlayToken(streamer: StreamerRow): string {
    return this.decrypt(streamer.overlayTokenEnc);
  }

  /**
   * The overlay token in clear; when it was encrypted under another install secret (JWT_SECRET
   * changed) and cannot be read back, a new token replaces it.
   * @returns the token and, when it was replaced, the old token's hash.
   */
  async readableOverlayToken(streamer: StreamerRow): Promise<{ token: string; replacedHash?: string }> {
    try {
      return { token: this.overlayToken(streamer) };
    } catch {
      const { token, oldHash } = await this.rotateOverlayToken(streamer.userId);
      return { token, replacedHash: oldHash };
    }
  }

  /**
   * Replaces the overlay token; the old one stops working at once (removed from Redis).
   * @returns the new token and the old token's hash (to disconnect its overlays).
   */
  async rotateOverlayToken(userId: string): Promise<{ token: string; oldHash: string }> {
    const old = await this.streamerById(userId);
    const token = randomBytes(32).toString('base64url');
    const hash = overlayTokenHash(token);
    await this.conn().execute(
      'update streamers set overlay_token_hash = ?, overlay_token_enc = ? where user_id = ?',
      [hash, this.encrypt(token), userId],
    );
    await this.redis
      .multi()
      .del(KEYS.overlayToken(this.prefix, old.overlayTokenHash))
      .set(KEYS.overlayToken(this.prefix, hash), userId)
      .exec();
    return { token, oldHash: old.overlayTokenHash };
  }

  /** Merges settings and profile fields. */
  async updateStreamer(
    userId: string,
    patch: Partial<Pick<StreamerRow, 'displayName' | 'avatarUrl' | 'minDonationMinor' | 'currency'>> & {
      settings?: Partial<StreamerSettings>;
    },
  ): Promise<StreamerRow> {
    const current = await this.streamerById(userId);
    const settings = { ...current.settings, ...(patch.settings ?? {}) };
    const rows = await this.conn().execute<RawRow[]>(
      `update streamers set display_name = ?, avatar_url = ?, min_donation_minor = ?, currency = ?, settings = ?::jsonb
       where user_id = ? returning *`,
      [
        patch.displayName ?? current.displayName,
        patch.avatarUrl ?? current.avatarUrl,
        patch.minDonationMinor ?? current.minDonationMinor,
        patch.currency ?? current.currency,
        JSON.stringify(settings),
        userId,
      ],
      'all',
    );
    this.cache.clear();
    return toStreamer(rows[0]!);
  }

  /**
   * Writes every overlay token hash into Redis (at start and after Redis lost its data), so
   * overlays can connect. @returns how many were written.
   */
  async seedOverlayTokens(): Promise<number> {
    const rows = await this.conn().execute<RawRow[]>(
      'select user_id, overlay_token_hash from streamers',
      [],
      'all',
    );
    const pipeline = this.redis.pipeline();
    for (const r of rows)
      pipeline.set(KEYS.overlayToken(this.prefix, r.overlay_token_hash as string), r.user_id as string);
    if (rows.length) await pipeline.exec();
    return rows.length;
  }

  private encrypt(text: string): string {
    return this.box.seal(text);
  }

  private decrypt(enc: string): string {
    return this.box.open(enc);
  }
}
