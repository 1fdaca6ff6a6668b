/**
 * Where outgoing webhooks may go: a streamer's URL must not reach the install's own network
 * (loopback, private, link-local and carrier-grade NAT ranges, cloud metadata at 169.254.169.254),
 * or a webhook could be used to probe it (SSRF). Checked on every attempt, after DNS resolution.
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  blocked.addSubnet(net, prefix, 'ipv6');

/** True when an IP address is in a private, loopback, link-local or otherwise internal range. */
export function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  if (family === 6 && address.toLowerCase().startsWith('::ffff:')) return isInternalAddress(address.slice(7));
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Refuses a URL whose host is, or resolves to, an internal address.
 * @throws Error naming the address.
 */
export async function assertPublicDestination(url: string): Promise<void> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  const internal = addresses.find(isInternalAddress);
  if (internal) throw new Error(`destination ${host} resolves to an internal address (${internal})`);
}
