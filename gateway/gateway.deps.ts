import type { Redis } from 'ioredis';
import type { Queue } from 'bullmq';
import type { Config } from '../shared/config.js';
import type { Logger } from '../shared/logger.js';
import type { MediaMetadataLookup } from '../shared/media-metadata.js';
import type { MediaSharApis } from '../shared/grpc-api.js';
import type { AccountsStore } from './accounts/accounts.store.js';
import type { SessionStore } from './accounts/sessions.store.js';
import type { AdminStore } from './admin/admin.store.js';
import type { UploadStore } from './uploads/upload.store.js';
import type { OutgoingWebhookStore } from './outgoing-webhooks/outgoing-webhooks.store.js';
import type { NotificationStore } from './notifications/notifications.store.js';

/** Everything the gateway's routes use, wired by gateway/main.ts (or a test). */
export interface GatewayDeps {
  config: Config;
  log: Logger;
  accounts: AccountsStore;
  /** Sign-in sessions and their rotating refresh tokens (gateway_db). */
  sessions: SessionStore;
  /** Install settings, invite codes and the admin's streamer list (gateway_db). */
  admin: AdminStore;
  /** Streamers' outgoing webhook endpoints and their delivery log (gateway_db). */
  outgoingWebhooks: OutgoingWebhookStore;
  /** Notification settings, push subscriptions, donor receipt addresses, reset tokens (gateway_db). */
  notifications: NotificationStore;
  /** Streamers' alert images and sounds (rows in gateway_db, bytes in a BlobStore). */
  uploads: UploadStore;
  /** Typed gRPC APIs of the three services. */
  api: MediaSharApis;
  redis: Redis;
  /** Media-share metadata (oEmbed / YouTube Data API, cached in Redis, bounded by a timeout). */
  mediaMetadata: MediaMetadataLookup;
  /** Every queue, for Bull Board. */
  queues: Queue[];
  /** Liveness probes of the three databases (SELECT 1), by name. */
  databaseProbes: Record<string, () => Promise<void>>;
}
