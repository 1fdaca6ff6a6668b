// Original file: proto/mediashar/v1/payment.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { Checkout__Input as _mediashar_v1_Checkout__Input, Checkout as _mediashar_v1_Checkout } from '../../mediashar/v1/Checkout.js';
import type { CreateCheckoutRequest__Input as _mediashar_v1_CreateCheckoutRequest__Input, CreateCheckoutRequest as _mediashar_v1_CreateCheckoutRequest } from '../../mediashar/v1/CreateCheckoutRequest.js';
import type { GetCheckoutRequest__Input as _mediashar_v1_GetCheckoutRequest__Input, GetCheckoutRequest as _mediashar_v1_GetCheckoutRequest } from '../../mediashar/v1/GetCheckoutRequest.js';
import type { GetPaymentRequest__Input as _mediashar_v1_GetPaymentRequest__Input, GetPaymentRequest as _mediashar_v1_GetPaymentRequest } from '../../mediashar/v1/GetPaymentRequest.js';
import type { HandleWebhookRequest__Input as _mediashar_v1_HandleWebhookRequest__Input, HandleWebhookRequest as _mediashar_v1_HandleWebhookRequest } from '../../mediashar/v1/HandleWebhookRequest.js';
import type { HandleWebhookResponse__Input as _mediashar_v1_HandleWebhookResponse__Input, HandleWebhookResponse as _mediashar_v1_HandleWebhookResponse } from '../../mediashar/v1/HandleWebhookResponse.js';
import type { Payment__Input as _mediashar_v1_Payment__Input, Payment as _mediashar_v1_Payment } from '../../mediashar/v1/Payment.js';
import type { RefundPaymentRequest__Input as _mediashar_v1_RefundPaymentRequest__Input, RefundPaymentRequest as _mediashar_v1_RefundPaymentRequest } from '../../mediashar/v1/RefundPaymentRequest.js';

export interface PaymentServiceClient extends grpc.Client {
  ConfirmCheckout(argument: _mediashar_v1_GetCheckoutRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_Checkout>): grpc.ClientUnaryCall;
  ConfirmCheckout(argument: _mediashar_v1_GetCheckoutRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_Checkout>): grpc.ClientUnaryCall;
  ConfirmCheckout(argument: _mediashar_v1_GetCheckoutRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_Checkout>): grpc.ClientUnaryCall;
  ConfirmCheckout(argument: _mediashar_v1_GetCheckoutRequest__Input, callback: grpc.requestCallback<_mediashar_v1_Checkout>): grpc.ClientUnaryCall;
  confirmCheckout(argument: _mediashar_v1_GetCheckoutRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_Checkout>): grpc.ClientUnaryCall;
  confirmCheckout(argument: _mediashar_v1_GetCheckoutRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_Checkout>): grpc.ClientUnaryCall;
  confirmCheckout(argument: _mediashar_v1_GetCheckoutRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_Checkout>): grpc.ClientUnaryCall;
  confirmCheckout(argument: _mediashar_v1_GetCheckoutRequest__Input, callback: grpc.requestCallback<_mediashar_v1_Checkout>): grpc.ClientUnaryCall;
  
  CreateCheckout(argument: _mediashar_v1_CreateCheckoutRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_Checkout>): grpc.ClientUnaryCall;
  CreateCheckout(argument: _mediashar_v1_CreateCheckoutRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_Checkout>): grpc.ClientUnaryCall;
  CreateCheckout(argument: _mediashar_v1_CreateCheckoutRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_Checkout>): grpc.ClientUnaryCall;
  CreateCheckout(argument: _mediashar_v1_CreateCheckoutRequest__Input, callback: grpc.requestCallback<_mediashar_v1_Checkout>): grpc.ClientUnaryCall;
  createCheckout(argument: _mediashar_v1_CreateCheckoutRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_Checkout>): grpc.ClientUnaryCall;
  createCheckout(argument: _mediashar_v1_CreateCheckoutRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_Checkout>): grpc.ClientUnaryCall;
  createCheckout(argument: _mediashar_v1_CreateCheckoutRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_Checkout>): grpc.ClientUnaryCall;
  createCheckout(argument: _mediashar_v1_CreateCheckoutRequest__Input, callback: grpc.requestCallback<_mediashar_v1_Checkout>): grpc.ClientUnaryCall;
  
  GetCheckout(argument: _mediashar_v1_GetCheckoutRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_Checkout>): grpc.ClientUnaryCall;
  GetCheckout(argument: _mediashar_v1_GetCheckoutRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_Checkout>): grpc.ClientUnaryCall;
  GetCheckout(argument: _mediashar_v1_GetCheckoutRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_Checkout>): grpc.ClientUnaryCall;
  GetCheckout(argument: _mediashar_v1_GetCheckoutRequest__Input, callback: grpc.requestCallback<_mediashar_v1_Checkout>): grpc.ClientUnaryCall;
  getCheckout(argument: _mediashar_v1_GetCheckoutRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_Checkout>): grpc.ClientUnaryCall;
  getCheckout(argument: _mediashar_v1_GetCheckoutRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_Checkout>): grpc.ClientUnaryCall;
  getCheckout(argument: _mediashar_v1_GetCheckoutRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_Checkout>): grpc.ClientUnaryCall;
  getCheckout(argument: _mediashar_v1_GetCheckoutRequest__Input, callback: grpc.requestCallback<_mediashar_v1_Checkout>): grpc.ClientUnaryCall;
  
  GetPayment(argument: _mediashar_v1_GetPaymentRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_Payment>): grpc.ClientUnaryCall;
  GetPayment(argument: _mediashar_v1_GetPaymentRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_Payment>): grpc.ClientUnaryCall;
  GetPayment(argument: _mediashar_v1_GetPaymentRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_Payment>): grpc.ClientUnaryCall;
  GetPayment(argument: _mediashar_v1_GetPaymentRequest__Input, callback: grpc.requestCallback<_mediashar_v1_Payment>): grpc.ClientUnaryCall;
  getPayment(argument: _mediashar_v1_GetPaymentRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_Payment>): grpc.ClientUnaryCall;
  getPayment(argument: _mediashar_v1_GetPaymentRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_Payment>): grpc.ClientUnaryCall;
  getPayment(argument: _mediashar_v1_GetPaymentRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_Payment>): grpc.ClientUnaryCall;
  getPayment(argument: _mediashar_v1_GetPaymentRequest__Input, callback: grpc.requestCallback<_mediashar_v1_Payment>): grpc.ClientUnaryCall;
  
  HandleWebhook(argument: _mediashar_v1_HandleWebhookRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_HandleWebhookResponse>): grpc.ClientUnaryCall;
  HandleWebhook(argument: _mediashar_v1_HandleWebhookRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_HandleWebhookResponse>): grpc.ClientUnaryCall;
  HandleWebhook(argument: _mediashar_v1_HandleWebhookRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_HandleWebhookResponse>): grpc.ClientUnaryCall;
  HandleWebhook(argument: _mediashar_v1_HandleWebhookRequest__Input, callback: grpc.requestCallback<_mediashar_v1_HandleWebhookResponse>): grpc.ClientUnaryCall;
  handleWebhook(argument: _mediashar_v1_HandleWebhookRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_HandleWebhookResponse>): grpc.ClientUnaryCall;
  handleWebhook(argument: _mediashar_v1_HandleWebhookRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_HandleWebhookResponse>): grpc.ClientUnaryCall;
  handleWebhook(argument: _mediashar_v1_HandleWebhookRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_HandleWebhookResponse>): grpc.ClientUnaryCall;
  handleWebhook(argument: _mediashar_v1_HandleWebhookRequest__Input, callback: grpc.requestCallback<_mediashar_v1_HandleWebhookResponse>): grpc.ClientUnaryCall;
  
  RefundPayment(argument: _mediashar_v1_RefundPaymentRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_Payment>): grpc.ClientUnaryCall;
  RefundPayment(argument: _mediashar_v1_RefundPaymentRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_Payment>): grpc.ClientUnaryCall;
  RefundPayment(argument: _mediashar_v1_RefundPaymentRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_Payment>): grpc.ClientUnaryCall;
  RefundPayment(argument: _mediashar_v1_RefundPaymentRequest__Input, callback: grpc.requestCallback<_mediashar_v1_Payment>): grpc.ClientUnaryCall;
  refundPayment(argument: _mediashar_v1_RefundPaymentRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_Payment>): grpc.ClientUnaryCall;
  refundPayment(argument: _mediashar_v1_RefundPaymentRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_Payment>): grpc.ClientUnaryCall;
  refundPayment(argument: _mediashar_v1_RefundPaymentRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_Payment>): grpc.ClientUnaryCall;
  refundPayment(argument: _mediashar_v1_RefundPaymentRequest__Input, callback: grpc.requestCallback<_mediashar_v1_Payment>): grpc.ClientUnaryCall;
  
}

export interface PaymentServiceHandlers extends grpc.UntypedServiceImplementation {
  ConfirmCheckout: grpc.handleUnaryCall<_mediashar_v1_GetCheckoutRequest, _mediashar_v1_Checkout__Input>;
  
  CreateCheckout: grpc.handleUnaryCall<_mediashar_v1_CreateCheckoutRequest, _mediashar_v1_Checkout__Input>;
  
  GetCheckout: grpc.handleUnaryCall<_mediashar_v1_GetCheckoutRequest, _mediashar_v1_Checkout__Input>;
  
  GetPayment: grpc.handleUnaryCall<_mediashar_v1_GetPaymentRequest, _mediashar_v1_Payment__Input>;
  
  HandleWebhook: grpc.handleUnaryCall<_mediashar_v1_HandleWebhookRequest, _mediashar_v1_HandleWebhookResponse__Input>;
  
  RefundPayment: grpc.handleUnaryCall<_mediashar_v1_RefundPaymentRequest, _mediashar_v1_Payment__Input>;
  
}

export interface PaymentServiceDefinition extends grpc.ServiceDefinition {
  ConfirmCheckout: MethodDefinition<_mediashar_v1_GetCheckoutRequest__Input, _mediashar_v1_Checkout__Input, _mediashar_v1_GetCheckoutRequest, _mediashar_v1_Checkout>
  CreateCheckout: MethodDefinition<_mediashar_v1_CreateCheckoutRequest__Input, _mediashar_v1_Checkout__Input, _mediashar_v1_CreateCheckoutRequest, _mediashar_v1_Checkout>
  GetCheckout: MethodDefinition<_mediashar_v1_GetCheckoutRequest__Input, _mediashar_v1_Checkout__Input, _mediashar_v1_GetCheckoutRequest, _mediashar_v1_Checkout>
  GetPayment: MethodDefinition<_mediashar_v1_GetPaymentRequest__Input, _mediashar_v1_Payment__Input, _mediashar_v1_GetPaymentRequest, _mediashar_v1_Payment>
  HandleWebhook: MethodDefinition<_mediashar_v1_HandleWebhookRequest__Input, _mediashar_v1_HandleWebhookResponse__Input, _mediashar_v1_HandleWebhookRequest, _mediashar_v1_HandleWebhookResponse>
  RefundPayment: MethodDefinition<_mediashar_v1_RefundPaymentRequest__Input, _mediashar_v1_Payment__Input, _mediashar_v1_RefundPaymentRequest, _mediashar_v1_Payment>
}
