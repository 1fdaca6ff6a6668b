/**
 * Private Redis and PostgreSQL servers for the failure drills. The drills restart and flush
 * their servers, so they never touch the machine's shared ones (5432/6379): each drill file gets
 * its own redis-server (AOF on, fsync always, noeviction, as docker-compose runs it) and its own
 * PostgreSQL cluster (initdb + pg_ctl as the postgres user, trust auth) on free ports.
 */
import { spawn, execFile, execFileSync, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { freePort, waitFor } from '../../support/system.js';

const PG_BIN = process.env.MEDIASHAR_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** A redis-server child process that can be restarted on the same port and data dir. */
export class PrivateRedis {
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts a fresh server on a free port with AOF persistence. */
  static async start(): Promise<PrivateRedis> {
    const server = new PrivateRedis(await freePort(), mkdtempSync(join(tmpdir(), 'ms-drill-redis-')));
    await server.spawn();
    return server;
  }

  private async spawn(): Promise<void> {
    // prettier-ignore
    this.child = spawn('redis-server', [
      '--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes',
      '--appendfsync', 'always', '--dir', this.dir, '--maxmemory-policy', 'noeviction',
      '--daemonize', 'no',
    ], { stdio: 'ignore' });
    await waitFor(() => this.ping(), 10_000, `redis-server on ${this.port}`);
  }

  private async ping(): Promise<boolean> {
    const probe = new Redis(this.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      return (await probe.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      probe.disconnect();
    }
  }

  /** A client on this server (caller disconnects). */
  client(): Redis {
    const c = new Redis(this.url, { maxRetriesPerRequest: 3 });
    c.on('error', () => undefined);
    return c;
  }

  /** Kills the server with SIGKILL (nothing but the AOF survives) and starts it again. */
  async restart(downMs = 1000): Promise<void> {
    await this.kill();
    await new Promise((r) => setTimeout(r, downMs)); // the outage clients must ride out
    await this.spawn();
  }

  /** Kills the server (SIGKILL) and leaves it down until `resume()`. */
  async halt(): Promise<void> {
    await this.kill();
  }

  /** Starts a halted server again on the same port and data (its AOF). */
  async resume(): Promise<void> {
    await this.spawn();
  }

  /** Kills the server, throws its data away (AOF and all) and starts it empty after `downMs`. */
  async restartEmpty(downMs = 1000): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
    await new Promise((r) => setTimeout(r, downMs)); // the outage clients must ride out
    await this.spawn();
  }

  private async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Runs a PostgreSQL tool as the postgres user (async: the test's own clients keep running). */
async function asPostgres(args: string[]): Promise<void> {
  await promisify(execFile)('runuser', ['-u', 'postgres', '--', ...args]);
}

/** A private PostgreSQL cluster (trust auth, user postgres) that can be restarted. */
export class PrivatePostgres {
  private constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  /** postgres:// URL of a database on this server. */
  url(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** initdb + start on a free port. */
  static async start(): Promise<PrivatePostgres> {
    const dir = mkdtempSync(join(tmpdir(), 'ms-drill-pg-'));
    const uid = Number(asPostgresId('-u'));
    const gid = Number(asPostgresId('-g'));
    chownSync(dir, uid, gid);
    await asPostgres([
      `${PG_BIN}/initdb`,
      '-D',
      join(dir, 'data'),
      '-A',
      'trust',
      '-U',
      'postgres',
      '--no-sync',
    ]);
    const server = new PrivatePostgres(await freePort(), dir);
    await server.startServer();
    return server;
  }

  private get pgCtlArgs(): string[] {
    // fsync off: the drills kill processes, not the machine; keep the disk quiet for neighbours.
    return [
      '-D',
      join(this.dir, 'data'),
      '-l',
      join(this.dir, 'server.log'),
      '-o',
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
    ];
  }

  private async startServer(): Promise<void> {
    await asPostgres([`${PG_BIN}/pg_ctl`, 'start', '-w', ...this.pgCtlArgs]);
    await waitFor(() => this.ready(), 20_000, `postgres on ${this.port}`);
  }

  private async ready(): Promise<boolean> {
    const client = new pg.Client({ connectionString: this.url('postgres'), connectionTimeoutMillis: 1000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** Stops the server in immediate mode and leaves it down until `resume()`. */
  async halt(): Promise<void> {
    await asPostgres([`${PG_BIN}/pg_ctl`, 'stop', '-m', 'immediate', '-w', '-D', join(this.dir, 'data')]);
  }

  /** Starts a halted server again. */
  async resume(): Promise<void> {
    await this.startServer();
  }

  /**
   * Stops the server in immediate mode (every connection dropped, like a crash), waits
   * `downMs`, and starts it again.
   */
  async restart(downMs = 1000): Promise<void> {
    await asPostgres([`${PG_BIN}/pg_ctl`, 'stop', '-m', 'immediate', '-w', '-D', join(this.dir, 'data')]);
    await new Promise((r) => setTimeout(r, downMs)); // the outage clients must ride out
    await this.startServer();
  }

  async stop(): Promise<void> {
    try {
      await asPostgres([`${PG_BIN}/pg_ctl`, 'stop', '-m', 'immediate', '-w', '-D', join(this.dir, 'data')]);
    } catch {
      /* already stopped */
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function asPostgresId(flag: '-u' | '-g'): string {
  return execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim();
}
