/**
 * PostgreSQL through MikroORM, one database per service. Each owner passes its own entity
 * schemas and migrations; nothing here knows a table.
 */
import { MikroORM, type EntitySchema, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { MigrationObject } from '@mikro-orm/core';
import pg from 'pg';
import type { Logger } from './logger.js';

/** A migration class with its stable name (the name is what the migrations table records). */
export type NamedMigration = MigrationObject;

/** What a service database is made of. */
export interface DatabaseDefinition {
  /** postgres:// URL including the database name. */
  url: string;
  entities: EntitySchema<any, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  migrations: NamedMigration[];
  poolMax?: number;
}

function splitUrl(url: string): { adminUrl: string; dbName: string } {
  const parsed = new URL(url);
  const dbName = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  parsed.pathname = '/postgres';
  return { adminUrl: parsed.toString(), dbName };
}

/**
 * Creates the database named in `url` when it does not exist yet (connecting to the server's
 * `postgres` database). Safe to run concurrently: a lost race is not an error.
 * @returns true when it created the database.
 */
export async function ensureDatabase(url: string): Promise<boolean> {
  const { adminUrl, dbName } = splitUrl(url);
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
    if (found.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE "${dbName.replace(/"/g, '""')}"`);
      return true;
    } catch (err) {
      if ((err as { code?: string }).code === '42P04') return false; // duplicate_database: lost a race
      throw err;
    }
  } finally {
    await client.end();
  }
}

/** Drops a database (tests only). */
export async function dropDatabase(url: string): Promise<void> {
  const { adminUrl, dbName } = splitUrl(url);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${dbName.replace(/"/g, '""')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** MikroORM options for a service database. */
export function ormOptions(def: DatabaseDefinition): Options {
  return {
    clientUrl: def.url,
    entities: def.entities,
    extensions: [Migrator],
    discovery: { warnWhenNoEntities: false },
    pool: { min: 0, max: def.poolMax ?? 10 },
    allowGlobalContext: false,
    debug: false,
    migrations: {
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
      migrationsList: def.migrations,
      snapshot: false,
      silent: true,
    },
    driverOptions: { connection: { statement_timeout: 15_000 } },
  };
}

/** Opens a MikroORM instance. Use `orm.em.fork()` per request or job, never `orm.em`. */
export async function openDatabase(def: DatabaseDefinition): Promise<MikroORM> {
  return MikroORM.init(ormOptions(def));
}

/**
 * Creates the database when missing and applies pending migrations.
 * @returns the names of the migrations applied (empty when already current).
 */
export async function migrateDatabase(def: DatabaseDefinition, log?: Logger): Promise<string[]> {
  const created = await ensureDatabase(def.url);
  const orm = await MikroORM.init({ ...ormOptions(def), pool: { min: 0, max: 2 } });
  try {
    const applied = await orm.getMigrator().up();
    log?.info(
      { database: splitUrl(def.url).dbName, created, applied: applied.map((m) => m.name) },
      applied.length ? 'migrations applied' : 'database is current',
    );
    return applied.map((m) => m.name);
  } finally {
    await orm.close(true);
  }
}

/**
 * Names of migrations not yet applied (start-up check: a process refuses to run on an old schema).
 */
export async function pendingMigrations(orm: MikroORM): Promise<string[]> {
  // Read-only on purpose: the migrator's own check creates its table, and several processes
  // starting at once on a fresh database would race to create it.
  const conn = orm.em.fork().getConnection();
  const [table] = await conn.execute<{ t: string | null }[]>(
    "select to_regclass('mikro_orm_migrations')::text as t",
  );
  const applied = new Set(
    table?.t
      ? (await conn.execute<{ name: string }[]>('select name from mikro_orm_migrations')).map((r) => r.name)
      : [],
  );
  const known = (orm.config.get('migrations').migrationsList ?? []) as { name: string }[];
  return known.map((m) => m.name).filter((name) => !applied.has(name));
}
