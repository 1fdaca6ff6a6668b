/**
 * Access tokens: HS256 JWTs signed with jose. Verification pins the algorithm, issuer and
 * audience, so a token signed another way (alg "none", RS256 with a public key as secret) or for
 * another audience is refused.
 */
import { SignJWT, jwtVerify } from 'jose';
import { UnauthenticatedError } from './errors.js';
import type { Config } from './config.js';

export type Role = 'streamer' | 'donor' | 'admin';

/** Claims MediaShar puts in an access token. */
export interface AccessClaims {
  /** User id (UUID). */
  sub: string;
  role: Role;
  /** Streamer username, for streamers. */
  username?: string;
  /** Session (refresh-token family) the token was issued for; absent on tokens made by scripts. */
  sid?: string;
}

/** Claims of a verified token, with its expiry. */
export interface VerifiedClaims extends AccessClaims {
  /** Expiry, Unix seconds. */
  exp: number;
}

const ALG = 'HS256';

function key(config: Config): Uint8Array {
  return new TextEncoder().encode(config.JWT_SECRET);
}

/** Signs an access token valid for ACCESS_TOKEN_TTL_S seconds. */
export async function signAccessToken(config: Config, claims: AccessClaims): Promise<string> {
  return new SignJWT({
    role: claims.role,
    ...(claims.username ? { username: claims.username } : {}),
    ...(claims.sid ? { sid: claims.sid } : {}),
  })
    .setProtectedHeader({ alg: ALG, typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(config.JWT_ISSUER)
    .setAudience(config.JWT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${config.ACCESS_TOKEN_TTL_S}s`)
    .sign(key(config));
}

/**
 * Verifies an access token.
 * @throws {UnauthenticatedError} when missing, expired, or not signed by us as HS256 for our
 *   issuer and audience.
 */
export async function verifyAccessToken(config: Config, token: string): Promise<VerifiedClaims> {
  if (!token) throw new UnauthenticatedError('Access token is missing');
  try {
    const { payload } = await jwtVerify(token, key(config), {
      algorithms: [ALG],
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
    });
    const role = payload.role;
    if (
      typeof payload.sub !== 'string' ||
      typeof payload.exp !== 'number' ||
      (role !== 'streamer' && role !== 'donor' && role !== 'admin')
    ) {
      throw new Error('bad claims');
    }
    return {
      sub: payload.sub,
      role,
      exp: payload.exp,
      ...(typeof payload.username === 'string' ? { username: payload.username } : {}),
      ...(typeof payload.sid === 'string' ? { sid: payload.sid } : {}),
    };
  } catch {
    throw new UnauthenticatedError('Access token is invalid or expired');
  }
}
