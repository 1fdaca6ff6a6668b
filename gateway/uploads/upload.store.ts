/**
 * Streamers' uploads (alert images and sounds): a row per upload in gateway_db, and the bytes
 * behind one {@link BlobStore} interface — PostgreSQL (`upload_blobs`, the default) or a folder
 * (UPLOAD_DIR). An object store is a third implementation of the same three methods.
 *
 * An upload never changes after it is stored, so its URL (`/uploads/<id>.<ext>`) can be cached
 * for a year.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Migration } from '@mikro-orm/migrations';
import { uuidv7 } from 'uuidv7';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import type { UploadContent, UploadKind } from './upload-content.js';

/** Where upload bytes live. Keys are upload ids (UUIDs). */
export interface BlobStore {
  put(key: string, bytes: Buffer): Promise<void>;
  /** The bytes, or null when there are none under `key`. */
  get(key: string): Promise<Buffer | null>;
  delete(key: string): Promise<void>;
}

type RawRow = Record<string, unknown>;

/** Bytes in gateway_db's `upload_blobs` (bytea). */
export class PostgresBlobStore implements BlobStore {
  constructor(private readonly orm: MikroORM) {}

  private conn() {
    return this.orm.em.fork().getConnection();
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    await this.conn().execute(
      'insert into upload_blobs (id, bytes) values (?, ?) on conflict (id) do nothing',
      [key, bytes],
    );
  }

  async get(key: string): Promise<Buffer | null> {
    const rows = await this.conn().execute<RawRow[]>(
      'select bytes from upload_blobs where id = ?',
      [key],
      'all',
    );
    return rows.length ? (rows[0]!.bytes as Buffer) : null;
  }

  async delete(key: string): Promise<void> {
    await this.conn().execute('delete from upload_blobs where id = ?', [key]);
  }
}

/** Bytes as files in a folder (UPLOAD_DIR), written to a temporary name and renamed into place. */
export class FolderBlobStore implements BlobStore {
  constructor(private readonly dir: string) {}

  private path(key: string): string {
    if (!/^[0-9a-f-]{36}$/.test(key)) throw new NotFoundError('No such upload');
    return join(this.dir, key);
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const path = this.path(key);
    await mkdir(this.dir, { recursive: true });
    const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(tmp, bytes, { flag: 'wx' });
    await rename(tmp, path);
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.path(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }
}

/** An upload as the API shows it. */
export interface UploadView {
  id: string;
  kind: UploadKind;
  mime: string;
  size: number;
  /** The file name the streamer gave (shown only in their dashboard), or ''. */
  name: string;
  width: number | null;
  height: number | null;
  durationS: number | null;
  /** Where it is served, relative to the gateway: `/uploads/<id>.<ext>`. */
  url: string;
  createdAt: string;
}

/** At most this many uploads per streamer. */
export const UPLOADS_PER_STREAMER = 100;

function view(r: RawRow): UploadView {
  return {
    id: r.id as string,
    kind: r.kind as UploadKind,
    mime: r.mime as string,
    size: Number(r.size),
    name: r.name as string,
    width: r.width === null ? null : Number(r.width),
    height: r.height === null ? null : Number(r.height),
    durationS: r.duration_s === null ? null : Number(r.duration_s),
    url: `/uploads/${r.id as string}.${r.ext as string}`,
    createdAt: new Date(r.created_at as string).toISOString(),
  };
}

export class UploadStore {
  constructor(
    private readonly orm: MikroORM,
    private readonly blobs: BlobStore,
  ) {}

  private conn() {
    return this.orm.em.fork().getConnection();
  }

  /**
   * Stores checked content for a streamer: the bytes first, then the row, so a row never points
   * at nothing.
   * @throws {ConflictError} when the streamer already has {@link UPLOADS_PER_STREAMER}.
   */
  async add(streamerId: string, content: UploadContent, bytes: Buffer, name: string): Promise<UploadView> {
    const [{ n }] = (await this.conn().execute<RawRow[]>(
      'select count(*)::int as n from uploads where streamer_id = ?',
      [streamerId],
      'all',
    )) as [{ n: number }];
    if (n >= UPLOADS_PER_STREAMER)
      throw new ConflictError(`You have ${UPLOADS_PER_STREAMER} uploads already: delete one first`);
    const id = uuidv7();
    await this.blobs.put(id, bytes);
    const rows = await this.conn().execute<RawRow[]>(
      `insert into uploads (id, streamer_id, kind, mime, ext, size, name, width, height, duration_s)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning *`,
      [
        id,
        streamerId,
        content.kind,
        content.mime,
        content.ext,
        content.size,
        name,
        content.width ?? null,
        content.height ?? null,
        content.durationS ?? null,
      ],
      'all',
    );
    return view(rows[0]!);
  }

  /** The streamer's uploads, newest first. */
  async list(streamerId: string, kind?: UploadKind): Promise<UploadView[]> {
    const rows = await this.conn().execute<RawRow[]>(
      `select * from uploads where streamer_id = ? ${kind ? 'and kind = ?' : ''} order by created_at desc`,
      kind ? [streamerId, kind] : [streamerId],
      'all',
    );
    return rows.map(view);
  }

  /** Of `ids`, those that are not the streamer's uploads of `kind`. */
  async notOwned(streamerId: string, ids: string[], kind: UploadKind): Promise<string[]> {
    if (!ids.length) return [];
    const rows = await this.conn().execute<RawRow[]>(
      'select id from uploads where streamer_id = ? and kind = ? and id = any(?::uuid[])',
      [streamerId, kind, `{${ids.join(',')}}`],
      'all',
    );
    const owned = new Set(rows.map((r) => r.id as string));
    return ids.filter((id) => !owned.has(id));
  }

  /** One upload's type and bytes for serving, or null. */
  async read(id: string): Promise<{ mime: string; ext: string; bytes: Buffer } | null> {
    if (!/^[0-9a-f-]{36}$/.test(id)) return null;
    const rows = await this.conn().execute<RawRow[]>(
      'select mime, ext from uploads where id = ?',
      [id],
      'all',
    );
    if (!rows.length) return null;
    const bytes = await this.blobs.get(id);
    return bytes ? { mime: rows[0]!.mime as string, ext: rows[0]!.ext as string, bytes } : null;
  }

  /**
   * Deletes one of the streamer's uploads (the row, then the bytes).
   * @throws {NotFoundError} when the streamer has no such upload.
   */
  async remove(streamerId: string, id: string): Promise<void> {
    const rows = await this.conn().execute<RawRow[]>(
      'delete from uploads where id = ? and streamer_id = ? returning id',
      [id, streamerId],
      'all',
    );
    if (!rows.length) throw new NotFoundError('No such upload');
    await this.blobs.delete(id);
  }
}

/** `uploads` (one row per upload) and `upload_blobs` (bytes, when PostgreSQL stores them). */
export class Migration20261203090000Uploads extends Migration {
  override up(): void {
    this.addSql(`create table if not exists uploads (
      id uuid primary key,
      streamer_id uuid not null references streamers (user_id) on delete cascade,
      kind text not null check (kind in ('image', 'sound')),
      mime text not null,
      ext text not null,
      size integer not null check (size > 0),
      name text not null default '',
      width integer,
      height integer,
      duration_s double precision,
      created_at timestamptz not null default now()
    )`);
    this.addSql('create index if not exists uploads_streamer on uploads (streamer_id, created_at desc)');
    this.addSql('create table if not exists upload_blobs (id uuid primary key, bytes bytea not null)');
  }

  override down(): void {
    this.addSql('drop table if exists upload_blobs');
    this.addSql('drop table if exists uploads');
  }
}
