/**
 * The per-donor media-share cooldown (`settings.mediaShare.cooldownS`), kept in Redis so every
 * gateway instance sees it.
 *
 * Who is "one donor": the client address (for IPv6 its /64, which one home or phone gets whole)
 * and, for a signed-in donor, the account too; a donor in either's cooldown waits. The donor name
 * is not part of it: anyone can type another name. The client address comes through
 * TRUSTED_PROXIES (gateway/http/client-ip.ts), so a donor cannot pick it with a header. The cost:
 * viewers behind one shared address (carrier-grade NAT) share a cooldown, so streamers should keep
 * it short; a donation without a clip is never held back by it.
 *
 * The cooldown starts when a donation with a clip is accepted (not when it is paid: the gateway
 * does not see payments, and an unpaid clip never plays anyway). Claiming is atomic, so two
 * donations sent at once cannot both pass; a retry with the same Idempotency-Key passes.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import ipaddr from 'ipaddr.js';

/** The donor as the cooldown knows them. */
export interface MediaShareDonor {
  /** Client address (IPv4 or IPv6); '' when unknown. */
  ip: string;
  /** Signed-in donor's account id, when signed in. */
  userId?: string;
}

/** The address group one donor holds: the IPv4 address, or the /64 of an IPv6 address. */
export function donorAddressGroup(ip: string): string {
  try {
    const addr = ipaddr.process(ip);
    if (addr.kind() === 'ipv4') return addr.toString();
    return `${addr.toNormalizedString().split(':').slice(0, 4).join(':')}::/64`;
  } catch {
    return ip;
  }
}

// Every key free or held by this very claim (its token): take the free ones, answer 0;
// otherwise answer the longest wait left, in ms, and take nothing.
const CLAIM = `
local wait = 0
for _, k in ipairs(KEYS) do
  local v = redis.call('GET', k)
  if v and v ~= ARGV[1] then
    local t = redis.call('PTTL', k)
    if t > wait then wait = t end
    if t == -1 then wait = tonumber(ARGV[2]) end
  end
end
if wait > 0 then return wait end
for _, k in ipairs(KEYS) do
  redis.call('SET', k, ARGV[1], 'PX', ARGV[2], 'NX')
end
return 0`;

const RELEASE = `
for _, k in ipairs(KEYS) do
  if redis.call('GET', k) == ARGV[1] then redis.call('DEL', k) end
end
return 0`;

const WAIT = `
local wait = 0
for _, k in ipairs(KEYS) do
  local t = redis.call('PTTL', k)
  if t > wait then wait = t end
end
return wait`;

/** Cooldowns under `<prefix>:media-cooldown:{<streamer id>}:…`. */
export class MediaShareCooldown {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private keys(streamerId: string, donor: MediaShareDonor): string[] {
    // One hash tag per streamer: a claim's keys share a Redis Cluster slot.
    const base = `${this.prefix}:media-cooldown:{${streamerId}}`;
    const keys: string[] = [];
    if (donor.ip) keys.push(`${base}:ip:${donorAddressGroup(donor.ip)}`);
    if (donor.userId) keys.push(`${base}:user:${donor.userId}`);
    return keys;
  }

  /** Seconds left of the donor's cooldown with a streamer (0 = none), rounded up. */
  async remainingS(streamerId: string, donor: MediaShareDonor): Promise<number> {
    const keys = this.keys(streamerId, donor);
    if (keys.length === 0) return 0;
    const ms = Number(await this.redis.eval(WAIT, keys.length, ...keys));
    return ms > 0 ? Math.ceil(ms / 1000) : 0;
  }

  /**
   * Starts the donor's cooldown of `seconds` unless one is running. `token` identifies the
   * donation (its Idempotency-Key; a random one when none was sent): a claim with the token that
   * holds the cooldown passes again.
   * @returns 0 when claimed, else the seconds left of the running cooldown (rounded up).
   */
  async claim(streamerId: string, donor: MediaShareDonor, seconds: number, token: string): Promise<number> {
    const keys = this.keys(streamerId, donor);
    if (keys.length === 0 || seconds <= 0) return 0;
    const ms = Number(await this.redis.eval(CLAIM, keys.length, ...keys, token, String(seconds * 1000)));
    return ms > 0 ? Math.ceil(ms / 1000) : 0;
  }

  /** Ends a cooldown this claim started (the donation was not accepted after all). */
  async release(streamerId: string, donor: MediaShareDonor, token: string): Promise<void> {
    const keys = this.keys(streamerId, donor);
    if (keys.length) await this.redis.eval(RELEASE, keys.length, ...keys, token);
  }
}

/** The token of a claim: the Idempotency-Key when the donor sent one (so a retry passes). */
export function cooldownToken(idempotencyKey: string): string {
  return idempotencyKey ? `key:${idempotencyKey}` : `once:${randomUUID()}`;
}
