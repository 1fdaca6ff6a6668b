import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { Checkout__Input as _mediashar_v1_Checkout__Input, Checkout as _mediashar_v1_Checkout } from './mediashar/v1/Checkout.js';
import type { CreateCheckoutRequest__Input as _mediashar_v1_CreateCheckoutRequest__Input, CreateCheckoutRequest as _mediashar_v1_CreateCheckoutRequest } from './mediashar/v1/CreateCheckoutRequest.js';
import type { DonationEvent__Input as _mediashar_v1_DonationEvent__Input, DonationEvent as _mediashar_v1_DonationEvent } from './mediashar/v1/DonationEvent.js';
import type { GetCheckoutRequest__Input as _mediashar_v1_GetCheckoutRequest__Input, GetCheckoutRequest as _mediashar_v1_GetCheckoutRequest } from './mediashar/v1/GetCheckoutRequest.js';
import type { GetPaymentRequest__Input as _mediashar_v1_GetPaymentRequest__Input, GetPaymentRequest as _mediashar_v1_GetPaymentRequest } from './mediashar/v1/GetPaymentRequest.js';
import type { HandleWebhookRequest__Input as _mediashar_v1_HandleWebhookRequest__Input, HandleWebhookRequest as _mediashar_v1_HandleWebhookRequest } from './mediashar/v1/HandleWebhookRequest.js';
import type { HandleWebhookResponse__Input as _mediashar_v1_HandleWebhookResponse__Input, HandleWebhookResponse as _mediashar_v1_HandleWebhookResponse } from './mediashar/v1/HandleWebhookResponse.js';
import type { MediaShare__Input as _mediashar_v1_MediaShare__Input, MediaShare as _mediashar_v1_MediaShare } from './mediashar/v1/MediaShare.js';
import type { Money__Input as _mediashar_v1_Money__Input, Money as _mediashar_v1_Money } from './mediashar/v1/Money.js';
import type { Payment__Input as _mediashar_v1_Payment__Input, Payment as _mediashar_v1_Payment } from './mediashar/v1/Payment.js';
import type { PaymentServiceClient as _mediashar_v1_PaymentServiceClient, PaymentServiceDefinition as _mediashar_v1_PaymentServiceDefinition } from './mediashar/v1/PaymentService.js';
import type { RefundPaymentRequest__Input as _mediashar_v1_RefundPaymentRequest__Input, RefundPaymentRequest as _mediashar_v1_RefundPaymentRequest } from './mediashar/v1/RefundPaymentRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  mediashar: {
    v1: {
      Checkout: MessageTypeDefinition<_mediashar_v1_Checkout__Input, _mediashar_v1_Checkout>
      CreateCheckoutRequest: MessageTypeDefinition<_mediashar_v1_CreateCheckoutRequest__Input, _mediashar_v1_CreateCheckoutRequest>
      DonationEvent: MessageTypeDefinition<_mediashar_v1_DonationEvent__Input, _mediashar_v1_DonationEvent>
      GetCheckoutRequest: MessageTypeDefinition<_mediashar_v1_GetCheckoutRequest__Input, _mediashar_v1_GetCheckoutRequest>
      GetPaymentRequest: MessageTypeDefinition<_mediashar_v1_GetPaymentRequest__Input, _mediashar_v1_GetPaymentRequest>
      HandleWebhookRequest: MessageTypeDefinition<_mediashar_v1_HandleWebhookRequest__Input, _mediashar_v1_HandleWebhookRequest>
      HandleWebhookResponse: MessageTypeDefinition<_mediashar_v1_HandleWebhookResponse__Input, _mediashar_v1_HandleWebhookResponse>
      MediaShare: MessageTypeDefinition<_mediashar_v1_MediaShare__Input, _mediashar_v1_MediaShare>
      Money: MessageTypeDefinition<_mediashar_v1_Money__Input, _mediashar_v1_Money>
      Payment: MessageTypeDefinition<_mediashar_v1_Payment__Input, _mediashar_v1_Payment>
      PaymentService: SubtypeConstructor<typeof grpc.Client, _mediashar_v1_PaymentServiceClient> & { service: _mediashar_v1_PaymentServiceDefinition }
      RefundPaymentRequest: MessageTypeDefinition<_mediashar_v1_RefundPaymentRequest__Input, _mediashar_v1_RefundPaymentRequest>
    }
  }
}

