/**
 * Where outgoing webhooks may go: a streamer's URL must never reach the install's own network
 * (SSRF). The check runs at connect time, inside the HTTP agent's `lookup`: the socket connects
 * to the very address that passed, so a name that resolves to a public address for a first
 * lookup and to loopback for the next (DNS rebinding) is still refused. Only addresses that
 * ipaddr.js classifies as plain `unicast` pass; every special range is refused (loopback,
 * private, link-local, CGNAT, multicast, reserved, documentation, NAT64 64:ff9b::/96, 6to4
 * 2002::/16, Teredo, every IPv4-mapped ::ffff:0:0/96 address), plus the ranges ipaddr.js calls
 * unicast but that no public host uses (IPv4-compatible ::/96, site-local fec0::/10).
 */
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { Agent as HttpAgent, type AgentOptions } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** What the delivery log says about a refused destination: never the address it resolved to. */
export const NOT_PUBLIC_MESSAGE = 'refused: not a public address';

/** A destination that is, or resolved to, an address outside the public unicast space. */
export class NotPublicAddressError extends Error {
  readonly code = 'ENOTPUBLIC';
  constructor() {
    super(NOT_PUBLIC_MESSAGE);
    this.name = 'NotPublicAddressError';
  }
}

/** IPv6 ranges ipaddr.js reports as `unicast` that are still not public destinations. */
const EXTRA_IPV6_DENY: [ipaddr.IPv6, number][] = [
  ipaddr.IPv6.parseCIDR('::/96'), // IPv4-compatible (deprecated), e.g. ::127.0.0.1
  ipaddr.IPv6.parseCIDR('fec0::/10'), // site-local (deprecated)
];

/** True when `address` is a public unicast IP address (IPv4 or IPv6); false for anything else. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  const parsed = ipaddr.parse(address);
  if (parsed.range() !== 'unicast') return false;
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    if (EXTRA_IPV6_DENY.some(([net, bits]) => v6.match(net, bits))) return false;
  }
  return true;
}

/** True when an address is internal or special (the opposite of {@link isPublicAddress}). */
export function isInternalAddress(address: string): boolean {
  return !isPublicAddress(address);
}

/** A resolver with the shape of `dns.lookup(host, {all: true}, cb)` (tests pass a stub). */
export type Resolver = (
  hostname: string,
  options: LookupAllOptions,
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/**
 * A `lookup` for net.connect that resolves with `resolve` and hands the socket only addresses
 * that are public; when any answer is not public the connection fails with
 * {@link NotPublicAddressError} (a name answering public and internal addresses is refused, not
 * filtered, so that rotating answers cannot pick the internal one).
 */
export function publicOnlyLookup(resolve: Resolver = dnsLookup): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { all: true, family: options.family, hints: options.hints }, (err, addresses) => {
      const done = callback;
      if (err) return done(err, '', 0);
      if (!addresses.length || addresses.some((a) => !isPublicAddress(a.address)))
        return done(new NotPublicAddressError(), '', 0);
      if (options.all) return done(null, addresses);
      return done(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/** The HTTP and HTTPS agents of outgoing webhooks: every connection through the public-only lookup. */
export interface DestinationAgents {
  http: HttpAgent;
  https: HttpsAgent;
}

/**
 * Agents whose sockets connect only to public addresses (checked at connect time, in `lookup`).
 * @param resolve the resolver (default `dns.lookup`); tests stub it.
 */
export function publicOnlyAgents(resolve?: Resolver, options: AgentOptions = {}): DestinationAgents {
  const lookup = publicOnlyLookup(resolve);
  return {
    http: new HttpAgent({ ...options, lookup }),
    https: new HttpsAgent({ ...options, lookup }),
  };
}

/**
 * Refuses a URL whose host is an IP literal outside the public space (net.connect does not
 * call `lookup` for a literal, so literals are checked here; names are checked at connect time).
 * @throws {NotPublicAddressError}
 */
export function assertPublicLiteral(url: string): void {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && !isPublicAddress(host)) throw new NotPublicAddressError();
}
