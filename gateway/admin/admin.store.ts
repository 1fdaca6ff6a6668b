/**
 * What an install's admin manages in gateway_db: the streamer list with disable/enable, install
 * settings (who may sign up) and single-use invite codes (stored as SHA-256 only).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Migration } from '@mikro-orm/migrations';
import { ForbiddenError, NotFoundError, ValidationError } from '../../shared/errors.js';

/** Who may register: anyone, holders of an invite code, or no one. */
export const SIGNUP_MODES = ['open', 'invite', 'closed'] as const;
export type SignupMode = (typeof SIGNUP_MODES)[number];

/** Install-wide settings an admin changes at run time. */
export interface InstallSettings {
  signup: SignupMode;
}

export const DEFAULT_INSTALL_SETTINGS: InstallSettings = { signup: 'open' };

/** A streamer as the admin list shows it. */
export interface AdminStreamerView {
  id: string;
  username: string;
  displayName: string;
  email: string;
  createdAt: string;
  disabled: boolean;
  disabledAt: string | null;
}

type RawRow = Record<string, unknown>;

const sha256 = (v: string) => createHash('sha256').update(v).digest('hex');

export class AdminStore {
  constructor(private readonly orm: MikroORM) {}

  private conn() {
    return this.orm.em.fork().getConnection();
  }

  /** The install settings (defaults for what was never set). */
  async settings(): Promise<InstallSettings> {
    const rows = await this.conn().execute<RawRow[]>('select key, value from install_settings', [], 'all');
    const stored = Object.fromEntries(rows.map((r) => [r.key as string, r.value]));
    return { ...DEFAULT_INSTALL_SETTINGS, ...stored };
  }

  /** Stores the given settings; @returns all of them. */
  async updateSettings(patch: Partial<InstallSettings>): Promise<InstallSettings> {
    const conn = this.conn();
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      await conn.execute(
        `insert into install_settings (key, value) values (?, ?::jsonb)
         on conflict (key) do update set value = excluded.value, updated_at = now()`,
        [key, JSON.stringify(value)],
      );
    }
    return this.settings();
  }

  /**
   * Creates a single-use invite code.
   * @param expiresInDays how long it stays usable, in days.
   * @returns the code in clear (shown once) and its expiry.
   */
  async createInvite(createdBy: string, expiresInDays: number): Promise<{ code: string; expiresAt: string }> {
    const code = randomBytes(12).toString('base64url');
    const rows = await this.conn().execute<RawRow[]>(
      `insert into invites (code_hash, created_by, expires_at)
       values (?, ?, now() + (? || ' days')::interval) returning expires_at`,
      [sha256(code), createdBy, String(expiresInDays)],
      'all',
    );
    return { code, expiresAt: new Date(rows[0]!.expires_at as string).toISOString() };
  }

  /**
   * Lets a registration through according to the sign-up mode; under "invite" the code is used
   * up here (before the account exists, so one code never admits two accounts).
   * @throws {ForbiddenError} when sign-up is closed; {ValidationError} naming inviteCode.
   */
  async admitSignup(inviteCode: string | undefined): Promise<void> {
    const { signup } = await this.settings();
    if (signup === 'open') return;
    if (signup === 'closed') throw new ForbiddenError('Sign-up is closed on this install');
    if (!inviteCode) {
      throw new ValidationError('inviteCode: sign-up needs an invite code on this install', {
        fields: { inviteCode: 'is required: sign-up is by invitation' },
      });
    }
    const used = await this.conn().execute<RawRow[]>(
      `update invites set used_at = now() where code_hash = ? and used_at is null and expires_at > now()
       returning code_hash`,
      [sha256(inviteCode)],
      'all',
    );
    if (!used[0]) {
      throw new ValidationError('inviteCode is unknown, used or expired', {
        fields: { inviteCode: 'is unknown, already used or expired' },
      });
    }
  }

  /**
   * Streamers, newest first, matching `q` (username, display name or email, case-insensitive).
   * @param page 1-based page number.
   */
  async streamers(
    q: string,
    page: number,
    pageSize: number,
  ): Promise<{ streamers: AdminStreamerView[]; total: number }> {
    const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const where = q ? `where s.username ilike ? or s.display_name ilike ? or u.email ilike ?` : '';
    const params = q ? [pattern, pattern, pattern] : [];
    const conn = this.conn();
    const [rows, count] = await Promise.all([
      conn.execute<RawRow[]>(
        `select s.user_id, s.username, s.display_name, u.email, u.created_at, u.disabled_at
           from streamers s join users u on u.id = s.user_id ${where}
          order by u.created_at desc, s.user_id limit ? offset ?`,
        [...params, pageSize, (page - 1) * pageSize],
        'all',
      ),
      conn.execute<RawRow[]>(
        `select count(*)::int as n from streamers s join users u on u.id = s.user_id ${where}`,
        params,
        'all',
      ),
    ]);
    return {
      streamers: rows.map((r) => ({
        id: r.user_id as string,
        username: r.username as string,
        displayName: r.display_name as string,
        email: r.email as string,
        createdAt: new Date(r.created_at as string).toISOString(),
        disabled: r.disabled_at != null,
        disabledAt: r.disabled_at == null ? null : new Date(r.disabled_at as string).toISOString(),
      })),
      total: Number(count[0]?.n ?? 0),
    };
  }

  /**
   * Turns a streamer account off or on again.
   * @throws {NotFoundError} when no streamer has this id.
   */
  async setStreamerDisabled(userId: string, disabled: boolean): Promise<void> {
    const rows = await this.conn().execute<RawRow[]>(
      `update users set disabled_at = case when ? then coalesce(disabled_at, now()) else null end
        where id = ? and role = 'streamer' returning id`,
      [disabled, userId],
      'all',
    );
    if (!rows[0]) throw new NotFoundError('Streamer not found');
  }
}

export class Migration20261202151000InstallSettings extends Migration {
  override up(): void {
    this.addSql(`
      create table install_settings (
        key text primary key,
        value jsonb not null,
        updated_at timestamptz not null default now()
      )`);
    this.addSql(`
      create table invites (
        code_hash text primary key,
        created_by uuid null references users (id) on delete set null,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        used_at timestamptz null
      )`);
  }
  override down(): void {
    this.addSql('drop table if exists invites');
    this.addSql('drop table if exists install_settings');
  }
}
