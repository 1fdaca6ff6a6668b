/**
 * The client's address as the gateway should believe it. X-Forwarded-For is honoured only hop by
 * hop from the right while each hop is a proxy listed in TRUSTED_PROXIES (proxy-addr's rule, as
 * Express uses it); with the default empty list the direct peer is the client, whatever the
 * header says, so a viewer cannot pick the address rate limits are keyed on.
 */
import type { IncomingMessage } from 'node:http';
import type { Context, Next } from 'koa';
import proxyaddr from 'proxy-addr';
import type { Config } from '../../shared/config.js';

/** Which hops to believe: the compiled TRUSTED_PROXIES list. */
export type ProxyTrust = ReturnType<typeof proxyaddr.compile>;

/** Compiles a list of IPs / CIDR ranges (TRUSTED_PROXIES, already validated by the config). */
export function compileTrust(list: readonly string[]): ProxyTrust {
  return proxyaddr.compile([...list]);
}

/**
 * The client address of a raw request under `trust`; IPv4-mapped IPv6 (`::ffff:1.2.3.4`) is
 * given as plain IPv4 so one client has one key. '' when the socket is already gone.
 */
export function resolveClientIp(req: IncomingMessage, trust: ProxyTrust): string {
  if (!req.socket.remoteAddress) return '';
  return unmapIpv4(proxyaddr(req, trust));
}

function unmapIpv4(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

/**
 * Koa middleware: works out the client address once per request (see {@link resolveClientIp})
 * and sets it as `ctx.request.ip`, so `ctx.ip` and {@link clientIp} agree.
 */
export function clientIpMiddleware(config: Config) {
  const trust = compileTrust(config.TRUSTED_PROXIES);
  return async (ctx: Context, next: Next): Promise<void> => {
    ctx.request.ip = resolveClientIp(ctx.req, trust);
    await next();
  };
}

/**
 * The client address of a request: X-Forwarded-For only through TRUSTED_PROXIES (set by
 * {@link clientIpMiddleware}, mounted at the top of the gateway); without that middleware the
 * direct peer, never a header.
 */
export function clientIp(ctx: Context): string {
  return unmapIpv4(ctx.request.ip);
}
