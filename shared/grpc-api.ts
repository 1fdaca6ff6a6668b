/**
 * Promise-returning, typed facades over the generated gRPC clients. Every call carries a
 * deadline (GRPC_DEADLINE_MS unless given) and the request id in metadata.
 * @throws GrpcCallError from each method (see shared/grpc.ts).
 */
import * as grpc from '@grpc/grpc-js';
import { callUnary, REQUEST_ID_KEY, type MediaSharClients } from './grpc.js';
import { identityMetadata } from './caller-identity.js';
import type { Checkout } from '../proto/generated/mediashar/v1/Checkout.js';
import type { CreateCheckoutRequest__Input } from '../proto/generated/mediashar/v1/CreateCheckoutRequest.js';
import type { CreateDonationRequest__Input } from '../proto/generated/mediashar/v1/CreateDonationRequest.js';
import type { CreateDonationResponse } from '../proto/generated/mediashar/v1/CreateDonationResponse.js';
import type { DisconnectOverlaysRequest__Input } from '../proto/generated/mediashar/v1/DisconnectOverlaysRequest.js';
import type { DisconnectOverlaysResponse } from '../proto/generated/mediashar/v1/DisconnectOverlaysResponse.js';
import type { Donation } from '../proto/generated/mediashar/v1/Donation.js';
import type { DonationStats } from '../proto/generated/mediashar/v1/DonationStats.js';
import type { GetCheckoutRequest__Input } from '../proto/generated/mediashar/v1/GetCheckoutRequest.js';
import type { GetDonationRequest__Input } from '../proto/generated/mediashar/v1/GetDonationRequest.js';
import type { GetOverlayStatusRequest__Input } from '../proto/generated/mediashar/v1/GetOverlayStatusRequest.js';
import type { GetPaymentRequest__Input } from '../proto/generated/mediashar/v1/GetPaymentRequest.js';
import type { GetStatsRequest__Input } from '../proto/generated/mediashar/v1/GetStatsRequest.js';
import type { ReviewDonationMessageRequest__Input } from '../proto/generated/mediashar/v1/ReviewDonationMessageRequest.js';
import type { HandleWebhookRequest__Input } from '../proto/generated/mediashar/v1/HandleWebhookRequest.js';
import type { HandleWebhookResponse } from '../proto/generated/mediashar/v1/HandleWebhookResponse.js';
import type { ListDonationsRequest__Input } from '../proto/generated/mediashar/v1/ListDonationsRequest.js';
import type { ListDonationsResponse } from '../proto/generated/mediashar/v1/ListDonationsResponse.js';
import type { OverlayStatus } from '../proto/generated/mediashar/v1/OverlayStatus.js';
import type { Payment } from '../proto/generated/mediashar/v1/Payment.js';
import type { PublishAlertRequest__Input } from '../proto/generated/mediashar/v1/PublishAlertRequest.js';
import type { PublishAlertResponse } from '../proto/generated/mediashar/v1/PublishAlertResponse.js';
import type { RefundPaymentRequest__Input } from '../proto/generated/mediashar/v1/RefundPaymentRequest.js';
import type { SendControlRequest__Input } from '../proto/generated/mediashar/v1/SendControlRequest.js';
import type { SendControlResponse } from '../proto/generated/mediashar/v1/SendControlResponse.js';

/** Options of one call. */
export interface CallOptions {
  requestId?: string;
  /** Deadline from now, in ms. */
  deadlineMs?: number;
  /** The end user's access token, forwarded for the service's owner checks. */
  accessToken?: string;
  /** An overlay token, forwarded for the widgets' read-only data. */
  overlayToken?: string;
}

type Unary<Req, Res> = (request: Req, options?: CallOptions) => Promise<Res>;

export interface DonationApi {
  createDonation: Unary<CreateDonationRequest__Input, CreateDonationResponse>;
  getDonation: Unary<GetDonationRequest__Input, Donation>;
  listDonations: Unary<ListDonationsRequest__Input, ListDonationsResponse>;
  getStats: Unary<GetStatsRequest__Input, DonationStats>;
  reviewDonationMessage: Unary<ReviewDonationMessageRequest__Input, Donation>;
  /**
   * Every matching donation, streamed (read it with `for await`; destroy it to stop early).
   * Deadline: `options.deadlineMs`, else 10 minutes.
   */
  exportDonations: (
    request: ListDonationsRequest__Input,
    options?: CallOptions,
  ) => grpc.ClientReadableStream<Donation>;
}

export interface PaymentApi {
  createCheckout: Unary<CreateCheckoutRequest__Input, Checkout>;
  getCheckout: Unary<GetCheckoutRequest__Input, Checkout>;
  handleWebhook: Unary<HandleWebhookRequest__Input, HandleWebhookResponse>;
  getPayment: Unary<GetPaymentRequest__Input, Payment>;
  refundPayment: Unary<RefundPaymentRequest__Input, Payment>;
  confirmCheckout: Unary<GetCheckoutRequest__Input, Checkout>;
}

export interface NotificationApi {
  getOverlayStatus: Unary<GetOverlayStatusRequest__Input, OverlayStatus>;
  sendControl: Unary<SendControlRequest__Input, SendControlResponse>;
  disconnectOverlays: Unary<DisconnectOverlaysRequest__Input, DisconnectOverlaysResponse>;
  publishAlert: Unary<PublishAlertRequest__Input, PublishAlertResponse>;
}

type ExportMethod = (
  argument: ListDonationsRequest__Input,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
) => grpc.ClientReadableStream<Donation>;

type AnyMethod = (
  argument: unknown,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: grpc.requestCallback<unknown>,
) => grpc.ClientUnaryCall;

function bind<Req, Res>(client: grpc.Client, name: string, defaultDeadlineMs: number): Unary<Req, Res> {
  const method = (client as unknown as Record<string, AnyMethod>)[name]!;
  return (request, options = {}) =>
    callUnary(client, method, request, {
      deadlineMs: options.deadlineMs ?? defaultDeadlineMs,
      requestId: options.requestId,
      metadata: identityMetadata(options),
    }) as Promise<Res>;
}

/** The typed APIs of the three services. */
export interface MediaSharApis {
  donation: DonationApi;
  payment: PaymentApi;
  notification: NotificationApi;
}

/** Wraps the raw clients in typed facades with a default deadline (ms). */
export function createApis(clients: MediaSharClients, deadlineMs: number): MediaSharApis {
  return {
    donation: {
      createDonation: bind(clients.donation, 'CreateDonation', deadlineMs),
      getDonation: bind(clients.donation, 'GetDonation', deadlineMs),
      listDonations: bind(clients.donation, 'ListDonations', deadlineMs),
      getStats: bind(clients.donation, 'GetStats', deadlineMs),
      reviewDonationMessage: bind(clients.donation, 'ReviewDonationMessage', deadlineMs),
      exportDonations: (request, options = {}) => {
        const metadata = new grpc.Metadata();
        if (options.requestId) metadata.set(REQUEST_ID_KEY, options.requestId);
        for (const [key, value] of identityMetadata(options)) metadata.set(key, value);
        const method = (clients.donation as unknown as Record<string, ExportMethod>).ExportDonations!;
        return method.call(clients.donation, request, metadata, {
          deadline: Date.now() + (options.deadlineMs ?? 10 * 60_000),
        });
      },
    },
    payment: {
      createCheckout: bind(clients.payment, 'CreateCheckout', deadlineMs),
      getCheckout: bind(clients.payment, 'GetCheckout', deadlineMs),
      handleWebhook: bind(clients.payment, 'HandleWebhook', deadlineMs),
      getPayment: bind(clients.payment, 'GetPayment', deadlineMs),
      refundPayment: bind(clients.payment, 'RefundPayment', deadlineMs),
      confirmCheckout: bind(clients.payment, 'ConfirmCheckout', deadlineMs),
    },
    notification: {
      getOverlayStatus: bind(clients.notification, 'GetOverlayStatus', deadlineMs),
      sendControl: bind(clients.notification, 'SendControl', deadlineMs),
      disconnectOverlays: bind(clients.notification, 'DisconnectOverlays', deadlineMs),
      publishAlert: bind(clients.notification, 'PublishAlert', deadlineMs),
    },
  };
}
