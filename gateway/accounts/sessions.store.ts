/**
 * Sessions over gateway_db: one row per signed-in browser (a refresh-token family), the hash of
 * its one current refresh token, and the hashes of every refresh token it ever had, so a token
 * that was already rotated away is recognised as reuse and ends the whole family (OAuth 2.0
 * Security BCP, RFC 9700 §4.14.2). Tokens are random 256-bit strings, stored as SHA-256 only.
 */
import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Migration } from '@mikro-orm/migrations';
import { uuidv7 } from 'uuidv7';
import { NotFoundError, UnauthenticatedError } from '../../shared/errors.js';
import type { Role } from '../../shared/access-token.js';

/** Why a session ended (kept on the row for the operator). */
export type SessionEndReason = 'logout' | 'logout-all' | 'revoked' | 'reuse' | 'password' | 'disabled';

/** A session as the owner sees it. */
export interface SessionView {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  userAgent: string;
}

/** What a new or rotated session hands to the client. */
export interface IssuedSession {
  sessionId: string;
  userId: string;
  role: Role;
  /** Streamer username, for streamers. */
  username?: string;
  /** The new refresh token (cookie value), in clear: shown once. */
  refreshToken: string;
  /** CSRF token bound to the session (cookie readable by the page, echoed in X-CSRF-Token). */
  csrfToken: string;
  expiresAt: Date;
}

type RawRow = Record<string, unknown>;

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

export class SessionStore {
  private readonly csrfKey: Buffer;

  /**
   * @param secret install secret the CSRF key is derived from (HKDF-SHA256).
   * @param ttlS a session ends after this long without a refresh, in seconds.
   */
  constructor(
    private readonly orm: MikroORM,
    secret: string,
    private readonly ttlS: number,
  ) {
    this.csrfKey = Buffer.from(hkdfSync('sha256', secret, 'mediashar', 'csrf-token', 32));
  }

  private conn() {
    return this.orm.em.fork().getConnection();
  }

  /** The CSRF token of a session: HMAC of its id, so a planted cookie for another session fails. */
  csrfToken(sessionId: string): string {
    return createHmac('sha256', this.csrfKey).update(sessionId).digest('base64url');
  }

  /** Whether `given` is the CSRF token of `sessionId` (constant time). */
  checkCsrf(sessionId: string, given: string): boolean {
    const want = Buffer.from(this.csrfToken(sessionId));
    const got = Buffer.from(given);
    return got.length === want.length && timingSafeEqual(got, want);
  }

  /** Opens a session for a user who just proved who they are (login, registration). */
  async start(
    user: { id: string; role: Role; username?: string },
    userAgent: string,
  ): Promise<IssuedSession> {
    const id = uuidv7();
    const refreshToken = randomBytes(32).toString('base64url');
    const hash = sha256(refreshToken);
    const em = this.orm.em.fork();
    const rows = await em.transactional(async (tx) => {
      const conn = tx.getConnection();
      const ctx = tx.getTransactionContext();
      const inserted = await conn.execute<RawRow[]>(
        `insert into sessions (id, user_id, current_token_hash, user_agent, expires_at)
         values (?, ?, ?, ?, now() + (? || ' seconds')::interval) returning expires_at`,
        [id, user.id, hash, userAgent.slice(0, 300), String(this.ttlS)],
        'all',
        ctx,
      );
      await conn.execute(
        'insert into refresh_tokens (token_hash, session_id) values (?, ?)',
        [hash, id],
        'run',
        ctx,
      );
      return inserted;
    });
    return {
      sessionId: id,
      userId: user.id,
      role: user.role,
      ...(user.username ? { username: user.username } : {}),
      refreshToken,
      csrfToken: this.csrfToken(id),
      expiresAt: new Date(rows[0]!.expires_at as string),
    };
  }

  /**
   * The live session a refresh token belongs to, without rotating it (logout).
   * @returns null when the token is unknown, not the current one, or its session ended.
   */
  async sessionOf(refreshToken: string): Promise<{ id: string; userId: string } | null> {
    if (!refreshToken) return null;
    const rows = await this.conn().execute<RawRow[]>(
      `select s.id, s.user_id from sessions s where s.current_token_hash = ?
         and s.revoked_at is null and s.expires_at > now()`,
      [sha256(refreshToken)],
      'all',
    );
    return rows[0] ? { id: rows[0].id as string, userId: rows[0].user_id as string } : null;
  }

  /**
   * Swaps a refresh token for a new one (every use rotates). A token that was already rotated
   * away ends its whole session: either it was stolen, or the thief already used it.
   * @param csrfCheck called with the session id before anything changes; throw to refuse.
   * @throws {UnauthenticatedError} when unknown, expired, ended, reused, or the account is disabled.
   */
  async rotate(
    refreshToken: string,
    userAgent: string,
    csrfCheck: (sessionId: string) => void,
  ): Promise<IssuedSession> {
    if (!refreshToken) throw new UnauthenticatedError('No session: sign in');
    const hash = sha256(refreshToken);
    const conn = this.conn();
    const rows = await conn.execute<RawRow[]>(
      `select s.id, s.user_id, s.current_token_hash, s.revoked_at, s.expires_at < now() as expired,
              u.role, u.disabled_at, st.username
         from refresh_tokens t
         join sessions s on s.id = t.session_id
         join users u on u.id = s.user_id
         left join streamers st on st.user_id = u.id
        where t.token_hash = ?`,
      [hash],
      'all',
    );
    const row = rows[0];
    if (!row) throw new UnauthenticatedError('Session not found: sign in again');
    const sessionId = row.id as string;
    csrfCheck(sessionId);
    if (row.revoked_at || row.expired) throw new UnauthenticatedError('Session ended: sign in again');
    if (row.disabled_at) {
      await this.revoke(sessionId, 'disabled');
      throw new UnauthenticatedError('This account is disabled');
    }
    if (row.current_token_hash !== hash) {
      await this.revoke(sessionId, 'reuse');
      throw new UnauthenticatedError('Refresh token was already used: the session was ended, sign in again');
    }
    const next = randomBytes(32).toString('base64url');
    const nextHash = sha256(next);
    await conn.execute('insert into refresh_tokens (token_hash, session_id) values (?, ?)', [
      nextHash,
      sessionId,
    ]);
    // Conditional on the old hash: of two concurrent refreshes with one token, one wins and the
    // other is reuse (the client must refresh single-flight).
    const updated = await conn.execute<RawRow[]>(
      `update sessions set current_token_hash = ?, last_used_at = now(), user_agent = ?,
              expires_at = now() + (? || ' seconds')::interval
        where id = ? and current_token_hash = ? and revoked_at is null returning expires_at`,
      [nextHash, userAgent.slice(0, 300), String(this.ttlS), sessionId, hash],
      'all',
    );
    if (!updated[0]) {
      await this.revoke(sessionId, 'reuse');
      throw new UnauthenticatedError('Refresh token was already used: the session was ended, sign in again');
    }
    return {
      sessionId,
      userId: row.user_id as string,
      role: row.role as Role,
      ...(row.username ? { username: row.username as string } : {}),
      refreshToken: next,
      csrfToken: this.csrfToken(sessionId),
      expiresAt: new Date(updated[0].expires_at as string),
    };
  }

  /** Ends one session (no-op when it already ended). */
  async revoke(sessionId: string, reason: SessionEndReason): Promise<void> {
    await this.conn().execute(
      'update sessions set revoked_at = now(), revoked_reason = ? where id = ? and revoked_at is null',
      [reason, sessionId],
    );
  }

  /**
   * Ends one of the user's own sessions.
   * @throws {NotFoundError} when it is not theirs or already ended.
   */
  async revokeOwn(userId: string, sessionId: string): Promise<void> {
    const rows = await this.conn().execute<RawRow[]>(
      `update sessions set revoked_at = now(), revoked_reason = 'revoked'
        where id = ? and user_id = ? and revoked_at is null returning id`,
      [sessionId, userId],
      'all',
    );
    if (!rows[0]) throw new NotFoundError('Session not found');
  }

  /** Ends every session of a user but `exceptSessionId`. @returns how many ended. */
  async revokeAll(userId: string, reason: SessionEndReason, exceptSessionId = ''): Promise<number> {
    const rows = await this.conn().execute<RawRow[]>(
      `update sessions set revoked_at = now(), revoked_reason = ?
        where user_id = ? and revoked_at is null and id::text <> ? returning id`,
      [reason, userId, exceptSessionId],
      'all',
    );
    return rows.length;
  }

  /** The user's live sessions, most recently used first. */
  async list(userId: string): Promise<SessionView[]> {
    const rows = await this.conn().execute<RawRow[]>(
      `select id, created_at, last_used_at, expires_at, user_agent from sessions
        where user_id = ? and revoked_at is null and expires_at > now() order by last_used_at desc limit 100`,
      [userId],
      'all',
    );
    const iso = (v: unknown) => new Date(v as string).toISOString();
    return rows.map((r) => ({
      id: r.id as string,
      createdAt: iso(r.created_at),
      lastUsedAt: iso(r.last_used_at),
      expiresAt: iso(r.expires_at),
      userAgent: r.user_agent as string,
    }));
  }
}

export class Migration20261202150000Sessions extends Migration {
  override up(): void {
    this.addSql(`
      create table sessions (
        id uuid primary key,
        user_id uuid not null references users (id) on delete cascade,
        current_token_hash text not null,
        user_agent text not null default '',
        created_at timestamptz not null default now(),
        last_used_at timestamptz not null default now(),
        expires_at timestamptz not null,
        revoked_at timestamptz null,
        revoked_reason text null
      )`);
    this.addSql('create index sessions_user_live on sessions (user_id) where revoked_at is null');
    this.addSql('create unique index sessions_current_token on sessions (current_token_hash)');
    this.addSql(`
      create table refresh_tokens (
        token_hash text primary key,
        session_id uuid not null references sessions (id) on delete cascade,
        created_at timestamptz not null default now()
      )`);
    // Accounts an admin turned off: no login, no refresh, no public page.
    this.addSql('alter table users add column disabled_at timestamptz null');
  }
  override down(): void {
    this.addSql('alter table users drop column if exists disabled_at');
    this.addSql('drop table if exists refresh_tokens');
    this.addSql('drop table if exists sessions');
  }
}
