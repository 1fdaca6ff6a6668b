/**
 * Which peer may call which gRPC method: the one table the handler wrapper in shared/grpc.ts
 * enforces. A peer is named by the role in the Common Name of the client certificate it
 * presented over mutual TLS (certificates from the install's own CA, see scripts/certs.ts);
 * a method missing here is refused to everyone, and `test/e2e/grpc-mtls.test.ts` fails until
 * it has an entry.
 *
 * Who calls what (read from the code):
 * - gateway → every unary method (REST routes, web pages, sandbox checkout, webhooks, controls);
 * - workers → DonationService.GetDonation (the checkout pool checks a checkout job that did not
 *   come from DonationService against the donation row; DonationService's own jobs carry it);
 * - operator → read-only methods and the two event streams (grpcurl, programs that follow the
 *   donation events); never a method that moves money, alerts or overlays;
 * - donation-, payment- and notification-service call no other service today (donation-service
 *   hands checkouts to the checkout queue, not to PaymentService).
 * grpc.health.v1 and server reflection are open to every holder of a valid certificate.
 */
import type { DonationServiceHandlers } from '../proto/generated/mediashar/v1/DonationService.js';
import type { NotificationServiceHandlers } from '../proto/generated/mediashar/v1/NotificationService.js';
import type { PaymentServiceHandlers } from '../proto/generated/mediashar/v1/PaymentService.js';

/** Identities that get a certificate: one per process role, plus the operator's client. */
export const PEER_ROLES = [
  'gateway',
  'donation-service',
  'payment-service',
  'notification-service',
  'workers',
  'operator',
] as const;
export type PeerRole = (typeof PEER_ROLES)[number];

/** Roles that run a gRPC server: their certificates also serve, under their own name. */
export const SERVER_ROLES = ['donation-service', 'payment-service', 'notification-service'] as const;
export type ServerRole = (typeof SERVER_ROLES)[number];

/** True when `value` names a known peer role. */
export function isPeerRole(value: unknown): value is PeerRole {
  return typeof value === 'string' && (PEER_ROLES as readonly string[]).includes(value);
}

type Access<Handlers> = Record<Exclude<keyof Handlers, number | symbol>, readonly PeerRole[]>;

/**
 * Allowed roles per method, by fully qualified service name. Typed against the generated
 * handler interfaces, so a method added to a .proto (and `npm run proto:gen`) without an entry
 * here fails the type check as well.
 */
export const PEER_ACCESS = {
  'mediashar.v1.DonationService': {
    CreateDonation: ['gateway'],
    GetDonation: ['gateway', 'workers', 'operator'],
    ListDonations: ['gateway', 'operator'],
    GetStats: ['gateway', 'operator'],
    ExportDonations: ['gateway', 'operator'],
    StreamDonationEvents: ['operator'],
    // Media share (issue 13): the gateway's REST routes (streamer, player widget, status page).
    ListMediaShareQueue: ['gateway', 'operator'],
    GetMediaShareStatus: ['gateway', 'operator'],
    SendMediaShareCommand: ['gateway'],
    ClaimMediaShareClip: ['gateway'],
    FinishMediaShareClip: ['gateway'],
    ReviewDonationMessage: ['gateway'],
  } satisfies Access<DonationServiceHandlers>,
  'mediashar.v1.PaymentService': {
    CreateCheckout: ['gateway'],
    GetCheckout: ['gateway', 'operator'],
    HandleWebhook: ['gateway'],
    GetPayment: ['gateway', 'operator'],
    ConfirmCheckout: ['gateway'],
    RefundPayment: ['gateway'],
  } satisfies Access<PaymentServiceHandlers>,
  'mediashar.v1.NotificationService': {
    SubscribeDonationEvents: ['operator'],
    GetOverlayStatus: ['gateway', 'operator'],
    SendControl: ['gateway'],
    PublishAlert: ['gateway'],
    DisconnectOverlays: ['gateway'],
  } satisfies Access<NotificationServiceHandlers>,
} as const;

const BY_PATH: ReadonlyMap<string, readonly PeerRole[]> = new Map(
  Object.entries(PEER_ACCESS).flatMap(([service, methods]) =>
    Object.entries(methods).map(([method, roles]) => [`/${service}/${method}`, roles as readonly PeerRole[]]),
  ),
);

/**
 * Roles allowed to call a method, by its gRPC path (`/mediashar.v1.DonationService/GetDonation`);
 * undefined for a method the table does not know (refused to everyone).
 */
export function allowedRoles(path: string): readonly PeerRole[] | undefined {
  return BY_PATH.get(path);
}

/** Every method path the table names. */
export function tablePaths(): string[] {
  return [...BY_PATH.keys()];
}
