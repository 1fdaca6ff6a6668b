/** Small HTTP plumbing shared by the provider fakes (node:http, no framework). */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface FakeResponse {
  status: number;
  body: unknown;
}

export type FakeRoute = (req: FakeRequest, params: string[]) => Promise<FakeResponse> | FakeResponse;

/** A running fake server. */
export interface RunningFake {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Every webhook a fake sent and the HTTP status it got back (for tests and logs). */
export interface SentWebhook {
  body: string;
  headers: Record<string, string>;
  status: number;
}

/** Starts a server answering `routes` ([method, path regex, handler]) on `port` (0: any free port). */
export async function serve(port: number, routes: [string, RegExp, FakeRoute][]): Promise<RunningFake> {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const request: FakeRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    let out: FakeResponse = {
      status: 404,
      body: { error: `no fake route for ${request.method} ${request.path}` },
    };
    for (const [method, pattern, route] of routes) {
      const m = method === request.method ? pattern.exec(request.path) : null;
      if (m) {
        try {
          out = await route(request, m.slice(1).map(decodeURIComponent));
        } catch (err) {
          out = { status: 500, body: { error: (err as Error).message } };
        }
        break;
      }
    }
    res.writeHead(out.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(out.body));
  };
  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** POSTs a webhook body as given (exact bytes) and records the answer. */
export async function postWebhook(
  url: string | undefined,
  body: string,
  headers: Record<string, string>,
  sent: SentWebhook[],
): Promise<SentWebhook | null> {
  if (!url) return null;
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  await res.text();
  const record = { body, headers, status: res.status };
  sent.push(record);
  return record;
}

/** Parses a JSON body, or {}. */
export function jsonBody(req: FakeRequest): Record<string, unknown> {
  try {
    return req.body ? (JSON.parse(req.body) as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
