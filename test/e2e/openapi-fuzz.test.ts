/**
 * "No input yields a 5xx" (DESIGN.md), checked from the API's own description: for every route
 * of /docs/openapi.json, every path, query and header parameter and every JSON body field gets
 * malformed values (wrong types, huge, empty, NUL, non-UUID ids, `__proto__` / `constructor`,
 * arrays for scalars, deep nesting, broken percent-encoding), the rest of the request kept
 * plausible, with the token the route needs (a streamer's, or an admin's for /admin routes);
 * each route is also called once without any token. No answer may be a 5xx, and a route whose
 * every answer was a refusal (4xx) must leave the three databases exactly as they were (row
 * count and checksum of every table).
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { uuidv7 } from 'uuidv7';
import { signAccessToken } from '../../shared/access-token.js';
import { TestSystem } from '../support/system.js';
import { registerStreamer, type TestStreamer } from '../support/clients.js';
import { query } from '../support/db.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Schema = Record<string, any>;
interface Operation {
  parameters?: { name: string; in: 'path' | 'query' | 'header' | 'cookie'; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  security?: Record<string, unknown>[];
}
interface Call {
  method: string;
  path: string;
  query: [string, string][];
  headers: Record<string, string>;
  /** Raw body text (JSON unless contentType says otherwise), or undefined for none. */
  body?: string;
  contentType?: string;
  /** What was malformed, for the failure message. */
  what: string;
}

const HUGE = 'x'.repeat(20_000);
function deep(levels: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
}
/** Malformed JSON values for a body field. */
const BAD_VALUES: unknown[] = [
  '',
  HUGE,
  '\u0000',
  'a\u0000b\u0007',
  'not-a-uuid',
  '__proto__',
  'constructor',
  '\u202eevil',
  -1,
  1e308,
  1.5,
  true,
  null,
  [],
  ['x', 1],
  {},
  { __proto__: { polluted: true } },
  deep(300),
];
/** Malformed text for a path, query or header parameter (as sent, before encoding). */
const BAD_TEXT = [
  '',
  HUGE.slice(0, 4000),
  '\u0000',
  'not-a-uuid',
  '00000000-0000-0000-0000-00000000000g',
  '__proto__',
  'constructor',
  'hasOwnProperty',
  '-1',
  '1e309',
  'NaN',
  '../../../etc/passwd',
  '\u202e',
  '{}',
];
/** Whole bodies that are not the expected object. */
const BAD_BODIES = [
  'not json',
  '[]',
  '"a string"',
  '123',
  'null',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  // 5000 levels of nesting, written out (no recursion needed to build it).
  `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`,
];

/** A plausible value for a JSON schema (valid where that is easy; it only carries the mutation). */
function sample(schema: Schema | undefined, name = ''): unknown {
  if (!schema) return 'x';
  if (schema.example !== undefined) return schema.example;
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf || schema.oneOf) return sample((schema.anyOf ?? schema.oneOf)[0], name);
  if (schema.allOf) return sample(schema.allOf[0], name);
  switch (schema.type) {
    case 'integer':
    case 'number':
      return schema.minimum ?? 2000;
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries<Schema>(schema.properties ?? {}))
        if ((schema.required ?? []).includes(k)) out[k] = sample(v, k);
      return out;
    }
    default:
      if (schema.format === 'email' || name === 'email')
        return `fuzz_${randomUUID().slice(0, 8)}@example.test`;
      if (schema.format === 'uuid') return randomUUID();
      if (schema.format === 'uri' || name.endsWith('Url')) return 'https://example.test/hook';
      if (name === 'amount') return '20000';
      if (name === 'password') return 'a long enough password';
      if (name === 'username') return `fz_${randomUUID().slice(0, 8)}`;
      return 'fuzz';
  }
}

describe('OpenAPI fuzz: malformed input never yields a 5xx or a change (real processes)', function () {
  this.timeout(600_000);
  let system: TestSystem;
  let streamer: TestStreamer;
  let admin: string;
  let spec: { paths: Record<string, Record<string, Operation>> };
  let tables: { url: string; table: string }[];

  before(async () => {
    system = await TestSystem.start();
    streamer = await registerStreamer(system);
    admin = await signAccessToken(system.config, { sub: uuidv7(), role: 'admin' });
    spec = (await (await fetch(`${system.gatewayUrl}/docs/openapi.json`)).json()) as typeof spec;
    tables = [];
    for (const url of [
      system.config.GATEWAY_DATABASE_URL,
      system.config.DONATION_DATABASE_URL,
      system.config.PAYMENT_DATABASE_URL,
    ]) {
      const rows = await query<{ tablename: string }>(
        url,
        `select tablename from pg_tables where schemaname = 'public' and tablename not like 'mikro_orm%'`,
      );
      tables.push(...rows.map((r) => ({ url, table: r.tablename })));
    }
  });

  after(async () => {
    await system?.stop();
  });

  /** Row count and checksum of every table of the three databases (one query per database). */
  async function snapshot(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const url of new Set(tables.map((t) => t.url))) {
      const sql = tables
        .filter((t) => t.url === url)
        .map(
          ({ table }) =>
            `select '${table}' as t, count(*)::int as n, coalesce(md5(string_agg(x::text, '|' order by x::text)), '') as h from "${table}" x`,
        )
        .join(' union all ');
      for (const row of await query<{ t: string; n: number; h: string }>(url, sql))
        out[`${url.split('/').pop()}.${row.t}`] = `${row.n}:${row.h}`;
    }
    return out;
  }

  /** Fills a path template: the streamer's username, a fresh UUID for ids, sandbox for providers. */
  function paramValue(name: string): string {
    if (name === 'username') return streamer.username;
    if (name === 'provider') return 'sandbox';
    if (name === 'file') return 'overlay.js';
    return randomUUID();
  }

  function tokenFor(path: string, op: Operation): string | undefined {
    if (!op.security?.some((s) => 'bearerAuth' in s)) return undefined;
    return path.startsWith('/api/v1/admin') || path === '/metrics' ? admin : streamer.accessToken;
  }

  /** The calls for one operation: one without a token, then one per malformed value. */
  function callsFor(method: string, template: string, op: Operation): Call[] {
    const params = op.parameters ?? [];
    const pathParams = params.filter((p) => p.in === 'path');
    const queryParams = params.filter((p) => p.in === 'query');
    const headerParams = params.filter((p) => p.in === 'header');
    const content = op.requestBody?.content ?? {};
    const jsonSchema = content['application/json']?.schema;
    const otherType = Object.keys(content).find((t) => t !== 'application/json');
    const token = tokenFor(template, op);
    const fill = (overrides: Record<string, string> = {}, raw = false) =>
      template.replace(/\{(\w+)\}/g, (_, name: string) =>
        name in overrides
          ? raw
            ? overrides[name]!
            : encodeURIComponent(overrides[name]!)
          : paramValue(name),
      );
    const baseQuery = (): [string, string][] =>
      queryParams.map((p) => [p.name, String(sample(p.schema, p.name))] as [string, string]);
    const baseHeaders = (): Record<string, string> => ({
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...Object.fromEntries(
        headerParams.map((p) => [p.name, p.name === 'idempotency-key' ? randomUUID() : 'fuzz']),
      ),
    });
    const baseBody = () => (jsonSchema ? (sample(jsonSchema) as Record<string, unknown>) : undefined);
    const calls: Call[] = [];
    const base = (what: string): Call => {
      const body = baseBody();
      return {
        method,
        path: fill(),
        query: baseQuery(),
        headers: baseHeaders(),
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        what,
      };
    };
    calls.push({ ...base('no token'), headers: { ...baseHeaders(), authorization: '' } });
    for (const p of pathParams) {
      for (const v of BAD_TEXT)
        calls.push({
          ...base(`path ${p.name}=${JSON.stringify(v.slice(0, 40))}`),
          path: fill({ [p.name]: v }),
        });
      // Broken percent-encoding, sent as is.
      calls.push({ ...base(`path ${p.name} bad %-encoding`), path: fill({ [p.name]: '%E0%A4%A' }, true) });
    }
    for (const p of queryParams) {
      for (const v of BAD_TEXT) {
        const q = baseQuery().filter(([k]) => k !== p.name);
        calls.push({
          ...base(`query ${p.name}=${JSON.stringify(v.slice(0, 40))}`),
          query: [...q, [p.name, v]],
        });
      }
      const q = baseQuery().filter(([k]) => k !== p.name);
      calls.push({ ...base(`query ${p.name} twice`), query: [...q, [p.name, 'a'], [p.name, 'b']] });
      calls.push({ ...base(`query ${p.name}[x]`), query: [...q, [`${p.name}[x]`, '1']] });
    }
    for (const p of headerParams) {
      for (const v of BAD_TEXT.filter((t) => !/[\u0000-\u001f\u007f-\uffff]/.test(t)))
        calls.push({
          ...base(`header ${p.name}=${JSON.stringify(v.slice(0, 40))}`),
          headers: { ...baseHeaders(), [p.name]: v },
        });
    }
    if (jsonSchema) {
      const fields = Object.keys(jsonSchema.properties ?? {});
      for (const field of fields) {
        for (const v of BAD_VALUES) {
          const body = { ...baseBody(), [field]: v };
          calls.push({
            ...base(`body ${field}=${JSON.stringify(v)?.slice(0, 40)}`),
            body: JSON.stringify(body),
          });
        }
      }
      for (const raw of BAD_BODIES) calls.push({ ...base(`body ${raw.slice(0, 40)}`), body: raw });
    } else if (otherType) {
      for (const raw of ['', '%', 'a=%E0%A4%A', `email=${'\u0000'}&password=`, 'x'.repeat(10_000)])
        calls.push({ ...base(`${otherType} body ${raw.slice(0, 20)}`), body: raw, contentType: otherType });
    } else if (method !== 'get') {
      // Routes that take no body get one anyway.
      calls.push({ ...base('unexpected body'), body: '{"__proto__":{"polluted":true}}' });
    }
    return calls;
  }

  async function send(call: Call): Promise<number | 'client-error'> {
    const qs = call.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
    const headers: Record<string, string> = { accept: 'application/json', ...call.headers };
    if (!headers.authorization) delete headers.authorization;
    if (call.body !== undefined) headers['content-type'] = call.contentType ?? 'application/json';
    try {
      const res = await fetch(`${system.gatewayUrl}${call.path}${qs ? `?${qs}` : ''}`, {
        method: call.method.toUpperCase(),
        headers,
        body: call.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(20_000),
      });
      await res.arrayBuffer();
      return res.status;
    } catch (err) {
      // A request fetch itself refuses to send (a header value it rejects) tests nothing here.
      const code = (err as { cause?: { code?: string } }).cause?.code ?? '';
      if (err instanceof TypeError && !code.startsWith('ECONN') && !code.startsWith('UND_ERR'))
        return 'client-error';
      throw err;
    }
  }

  it('answers every malformed request with a 4xx (never a 5xx) and changes nothing when it refuses', async () => {
    const failures: string[] = [];
    const changed: string[] = [];
    let sent = 0;
    const operations = Object.entries(spec.paths)
      .flatMap(([path, item]) =>
        Object.entries(item)
          .filter(([m]) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
          .map(([method, op]) => ({ path, method, op })),
      )
      // Routes that end the fuzzing streamer's sessions go last.
      .sort((a, b) => Number(a.path.includes('logout')) - Number(b.path.includes('logout')));
    expect(operations.length).to.be.greaterThan(40);
    for (const { path, method, op } of operations) {
      const before = await snapshot();
      let refusedAll = true;
      for (const call of callsFor(method, path, op)) {
        const status = await send(call);
        if (status === 'client-error') continue;
        sent++;
        if (status >= 500) failures.push(`${method.toUpperCase()} ${path} [${call.what}] → ${status}`);
        if (status < 300) refusedAll = false;
      }
      if (refusedAll) {
        const after = await snapshot();
        for (const [table, sig] of Object.entries(before))
          if (after[table] !== sig) changed.push(`${method.toUpperCase()} ${path} changed ${table}`);
      }
    }
    expect(sent).to.be.greaterThan(500);
    expect(failures, failures.slice(0, 40).join('\n')).to.deep.equal([]);
    expect(changed, changed.join('\n')).to.deep.equal([]);
  });
});
