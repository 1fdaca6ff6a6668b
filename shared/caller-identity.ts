/**
 * Who a gRPC call acts for. The gateway forwards the end user's access token (metadata
 * `authorization: Bearer <JWT>`) or, for the overlay widgets, the overlay token it was shown
 * (`x-overlay-token`); each service verifies them itself (jose, HS256 pinned, see
 * shared/access-token.ts; the overlay token against its hash in Redis) and checks that the
 * streamer a method acts for is the caller's. The peer certificate (shared/grpc.ts) says which
 * process called; this says for whom, so a stolen gateway certificate alone moves no money,
 * alerts nothing and reads no donor's text.
 */
import { createHash } from 'node:crypto';
import type * as grpc from '@grpc/grpc-js';
import { verifyAccessToken, type Role } from './access-token.js';
import type { Config } from './config.js';
import { ForbiddenError, UnauthenticatedError } from './errors.js';
import { peerRole } from './grpc.js';

/** Metadata key of the end user's access token (`Bearer <JWT>`). */
export const AUTHORIZATION_METADATA = 'authorization';
/** Metadata key of an overlay token, for the read-only widget data. */
export const OVERLAY_TOKEN_METADATA = 'x-overlay-token';

/** The verified caller of one call. */
export type Caller =
  /** A signed-in user, from a verified access token. */
  | { kind: 'user'; userId: string; role: Role }
  /** An overlay or widget of one streamer, from a verified overlay token (read-only). */
  | { kind: 'overlay'; streamerId: string }
  /** The operator's client certificate (grpcurl, programs): reads only, per shared/grpc-peers.ts. */
  | { kind: 'operator' };

/** Who may act for a streamer, besides the streamer themself. */
export interface StreamerAccess {
  /** An admin's access token passes [false]. */
  admin?: boolean;
  /** The streamer's overlay token passes (read-only widget data) [false]. */
  overlay?: boolean;
  /** The operator's certificate passes (methods the peer table opens to it) [false]. */
  operator?: boolean;
}

/** What the verifier needs: the JWT settings and, for overlay tokens, the token → streamer lookup. */
export interface CallerVerifierOptions {
  config: Pick<Config, 'JWT_SECRET' | 'JWT_ISSUER' | 'JWT_AUDIENCE'>;
  /** Streamer id of an overlay token's SHA-256 hex hash, or null (Redis `overlay-token:<hash>`). */
  overlayStreamer?: (tokenHash: string) => Promise<string | null>;
}

type CallLike = Pick<grpc.ServerUnaryCall<unknown, unknown>, 'metadata' | 'getAuthContext'>;

function metadataValue(call: CallLike, key: string): string {
  const value = call.metadata.get(key)[0];
  return typeof value === 'string' ? value : '';
}

/** Verifies callers of one service's methods. */
export class CallerVerifier {
  constructor(private readonly options: CallerVerifierOptions) {}

  /**
   * The verified caller: the access token when one is sent, else the overlay token, else the
   * operator's certificate.
   * @throws {UnauthenticatedError} when a token is sent but does not verify, or nothing is sent.
   */
  async callerOf(call: CallLike): Promise<Caller> {
    const authorization = metadataValue(call, AUTHORIZATION_METADATA);
    if (authorization) {
      const token = authorization.startsWith('Bearer ') ? authorization.slice(7).trim() : '';
      const claims = await verifyAccessToken(this.options.config as Config, token);
      return { kind: 'user', userId: claims.sub, role: claims.role };
    }
    const overlayToken = metadataValue(call, OVERLAY_TOKEN_METADATA);
    if (overlayToken && this.options.overlayStreamer) {
      const hash = createHash('sha256').update(overlayToken).digest('hex');
      const streamerId = await this.options.overlayStreamer(hash);
      if (!streamerId) throw new UnauthenticatedError('Overlay token is invalid or revoked');
      return { kind: 'overlay', streamerId };
    }
    if (peerRole(call) === 'operator') return { kind: 'operator' };
    throw new UnauthenticatedError('This call needs the user’s access token');
  }

  /**
   * Requires the caller to act for `streamerId`: that streamer's own access token, or one of the
   * exceptions `access` opens.
   * @throws {UnauthenticatedError} without a verified caller; {ForbiddenError} for anyone else.
   */
  async requireStreamer(call: CallLike, streamerId: string, access: StreamerAccess = {}): Promise<Caller> {
    const caller = await this.callerOf(call);
    if (isStreamerOrAllowed(caller, streamerId, access)) return caller;
    throw new ForbiddenError('The caller may not act for this streamer');
  }
}

/** True when `caller` may act for `streamerId` under `access`. */
export function isStreamerOrAllowed(caller: Caller, streamerId: string, access: StreamerAccess): boolean {
  switch (caller.kind) {
    case 'user':
      return (
        (caller.role === 'streamer' && caller.userId === streamerId) ||
        (caller.role === 'admin' && access.admin === true)
      );
    case 'overlay':
      return access.overlay === true && caller.streamerId === streamerId;
    case 'operator':
      return access.operator === true;
  }
}

/** Metadata entries that forward an end user's identity on an outgoing call. */
export function identityMetadata(identity: {
  accessToken?: string;
  overlayToken?: string;
}): [string, string][] {
  const entries: [string, string][] = [];
  if (identity.accessToken) entries.push([AUTHORIZATION_METADATA, `Bearer ${identity.accessToken}`]);
  if (identity.overlayToken) entries.push([OVERLAY_TOKEN_METADATA, identity.overlayToken]);
  return entries;
}
