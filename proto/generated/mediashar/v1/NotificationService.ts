// Original file: proto/mediashar/v1/notification.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { DisconnectOverlaysRequest__Input as _mediashar_v1_DisconnectOverlaysRequest__Input, DisconnectOverlaysRequest as _mediashar_v1_DisconnectOverlaysRequest } from '../../mediashar/v1/DisconnectOverlaysRequest.js';
import type { DisconnectOverlaysResponse__Input as _mediashar_v1_DisconnectOverlaysResponse__Input, DisconnectOverlaysResponse as _mediashar_v1_DisconnectOverlaysResponse } from '../../mediashar/v1/DisconnectOverlaysResponse.js';
import type { DonationEvent__Input as _mediashar_v1_DonationEvent__Input, DonationEvent as _mediashar_v1_DonationEvent } from '../../mediashar/v1/DonationEvent.js';
import type { GetOverlayStatusRequest__Input as _mediashar_v1_GetOverlayStatusRequest__Input, GetOverlayStatusRequest as _mediashar_v1_GetOverlayStatusRequest } from '../../mediashar/v1/GetOverlayStatusRequest.js';
import type { OverlayStatus__Input as _mediashar_v1_OverlayStatus__Input, OverlayStatus as _mediashar_v1_OverlayStatus } from '../../mediashar/v1/OverlayStatus.js';
import type { PublishAlertRequest__Input as _mediashar_v1_PublishAlertRequest__Input, PublishAlertRequest as _mediashar_v1_PublishAlertRequest } from '../../mediashar/v1/PublishAlertRequest.js';
import type { PublishAlertResponse__Input as _mediashar_v1_PublishAlertResponse__Input, PublishAlertResponse as _mediashar_v1_PublishAlertResponse } from '../../mediashar/v1/PublishAlertResponse.js';
import type { SendControlRequest__Input as _mediashar_v1_SendControlRequest__Input, SendControlRequest as _mediashar_v1_SendControlRequest } from '../../mediashar/v1/SendControlRequest.js';
import type { SendControlResponse__Input as _mediashar_v1_SendControlResponse__Input, SendControlResponse as _mediashar_v1_SendControlResponse } from '../../mediashar/v1/SendControlResponse.js';
import type { SubscribeDonationEventsRequest__Input as _mediashar_v1_SubscribeDonationEventsRequest__Input, SubscribeDonationEventsRequest as _mediashar_v1_SubscribeDonationEventsRequest } from '../../mediashar/v1/SubscribeDonationEventsRequest.js';

export interface NotificationServiceClient extends grpc.Client {
  DisconnectOverlays(argument: _mediashar_v1_DisconnectOverlaysRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_DisconnectOverlaysResponse>): grpc.ClientUnaryCall;
  DisconnectOverlays(argument: _mediashar_v1_DisconnectOverlaysRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_DisconnectOverlaysResponse>): grpc.ClientUnaryCall;
  DisconnectOverlays(argument: _mediashar_v1_DisconnectOverlaysRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_DisconnectOverlaysResponse>): grpc.ClientUnaryCall;
  DisconnectOverlays(argument: _mediashar_v1_DisconnectOverlaysRequest__Input, callback: grpc.requestCallback<_mediashar_v1_DisconnectOverlaysResponse>): grpc.ClientUnaryCall;
  disconnectOverlays(argument: _mediashar_v1_DisconnectOverlaysRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_DisconnectOverlaysResponse>): grpc.ClientUnaryCall;
  disconnectOverlays(argument: _mediashar_v1_DisconnectOverlaysRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_DisconnectOverlaysResponse>): grpc.ClientUnaryCall;
  disconnectOverlays(argument: _mediashar_v1_DisconnectOverlaysRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_DisconnectOverlaysResponse>): grpc.ClientUnaryCall;
  disconnectOverlays(argument: _mediashar_v1_DisconnectOverlaysRequest__Input, callback: grpc.requestCallback<_mediashar_v1_DisconnectOverlaysResponse>): grpc.ClientUnaryCall;
  
  GetOverlayStatus(argument: _mediashar_v1_GetOverlayStatusRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_OverlayStatus>): grpc.ClientUnaryCall;
  GetOverlayStatus(argument: _mediashar_v1_GetOverlayStatusRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_OverlayStatus>): grpc.ClientUnaryCall;
  GetOverlayStatus(argument: _mediashar_v1_GetOverlayStatusRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_OverlayStatus>): grpc.ClientUnaryCall;
  GetOverlayStatus(argument: _mediashar_v1_GetOverlayStatusRequest__Input, callback: grpc.requestCallback<_mediashar_v1_OverlayStatus>): grpc.ClientUnaryCall;
  getOverlayStatus(argument: _mediashar_v1_GetOverlayStatusRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_OverlayStatus>): grpc.ClientUnaryCall;
  getOverlayStatus(argument: _mediashar_v1_GetOverlayStatusRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_OverlayStatus>): grpc.ClientUnaryCall;
  getOverlayStatus(argument: _mediashar_v1_GetOverlayStatusRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_OverlayStatus>): grpc.ClientUnaryCall;
  getOverlayStatus(argument: _mediashar_v1_GetOverlayStatusRequest__Input, callback: grpc.requestCallback<_mediashar_v1_OverlayStatus>): grpc.ClientUnaryCall;
  
  PublishAlert(argument: _mediashar_v1_PublishAlertRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_PublishAlertResponse>): grpc.ClientUnaryCall;
  PublishAlert(argument: _mediashar_v1_PublishAlertRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_PublishAlertResponse>): grpc.ClientUnaryCall;
  PublishAlert(argument: _mediashar_v1_PublishAlertRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_PublishAlertResponse>): grpc.ClientUnaryCall;
  PublishAlert(argument: _mediashar_v1_PublishAlertRequest__Input, callback: grpc.requestCallback<_mediashar_v1_PublishAlertResponse>): grpc.ClientUnaryCall;
  publishAlert(argument: _mediashar_v1_PublishAlertRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_PublishAlertResponse>): grpc.ClientUnaryCall;
  publishAlert(argument: _mediashar_v1_PublishAlertRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_PublishAlertResponse>): grpc.ClientUnaryCall;
  publishAlert(argument: _mediashar_v1_PublishAlertRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_PublishAlertResponse>): grpc.ClientUnaryCall;
  publishAlert(argument: _mediashar_v1_PublishAlertRequest__Input, callback: grpc.requestCallback<_mediashar_v1_PublishAlertResponse>): grpc.ClientUnaryCall;
  
  SendControl(argument: _mediashar_v1_SendControlRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_SendControlResponse>): grpc.ClientUnaryCall;
  SendControl(argument: _mediashar_v1_SendControlRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_SendControlResponse>): grpc.ClientUnaryCall;
  SendControl(argument: _mediashar_v1_SendControlRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_SendControlResponse>): grpc.ClientUnaryCall;
  SendControl(argument: _mediashar_v1_SendControlRequest__Input, callback: grpc.requestCallback<_mediashar_v1_SendControlResponse>): grpc.ClientUnaryCall;
  sendControl(argument: _mediashar_v1_SendControlRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_SendControlResponse>): grpc.ClientUnaryCall;
  sendControl(argument: _mediashar_v1_SendControlRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_SendControlResponse>): grpc.ClientUnaryCall;
  sendControl(argument: _mediashar_v1_SendControlRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_SendControlResponse>): grpc.ClientUnaryCall;
  sendControl(argument: _mediashar_v1_SendControlRequest__Input, callback: grpc.requestCallback<_mediashar_v1_SendControlResponse>): grpc.ClientUnaryCall;
  
  SubscribeDonationEvents(argument: _mediashar_v1_SubscribeDonationEventsRequest__Input, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_mediashar_v1_DonationEvent>;
  SubscribeDonationEvents(argument: _mediashar_v1_SubscribeDonationEventsRequest__Input, options?: grpc.CallOptions): grpc.ClientReadableStream<_mediashar_v1_DonationEvent>;
  subscribeDonationEvents(argument: _mediashar_v1_SubscribeDonationEventsRequest__Input, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_mediashar_v1_DonationEvent>;
  subscribeDonationEvents(argument: _mediashar_v1_SubscribeDonationEventsRequest__Input, options?: grpc.CallOptions): grpc.ClientReadableStream<_mediashar_v1_DonationEvent>;
  
}

export interface NotificationServiceHandlers extends grpc.UntypedServiceImplementation {
  DisconnectOverlays: grpc.handleUnaryCall<_mediashar_v1_DisconnectOverlaysRequest, _mediashar_v1_DisconnectOverlaysResponse__Input>;
  
  GetOverlayStatus: grpc.handleUnaryCall<_mediashar_v1_GetOverlayStatusRequest, _mediashar_v1_OverlayStatus__Input>;
  
  PublishAlert: grpc.handleUnaryCall<_mediashar_v1_PublishAlertRequest, _mediashar_v1_PublishAlertResponse__Input>;
  
  SendControl: grpc.handleUnaryCall<_mediashar_v1_SendControlRequest, _mediashar_v1_SendControlResponse__Input>;
  
  SubscribeDonationEvents: grpc.handleServerStreamingCall<_mediashar_v1_SubscribeDonationEventsRequest, _mediashar_v1_DonationEvent__Input>;
  
}

export interface NotificationServiceDefinition extends grpc.ServiceDefinition {
  DisconnectOverlays: MethodDefinition<_mediashar_v1_DisconnectOverlaysRequest__Input, _mediashar_v1_DisconnectOverlaysResponse__Input, _mediashar_v1_DisconnectOverlaysRequest, _mediashar_v1_DisconnectOverlaysResponse>
  GetOverlayStatus: MethodDefinition<_mediashar_v1_GetOverlayStatusRequest__Input, _mediashar_v1_OverlayStatus__Input, _mediashar_v1_GetOverlayStatusRequest, _mediashar_v1_OverlayStatus>
  PublishAlert: MethodDefinition<_mediashar_v1_PublishAlertRequest__Input, _mediashar_v1_PublishAlertResponse__Input, _mediashar_v1_PublishAlertRequest, _mediashar_v1_PublishAlertResponse>
  SendControl: MethodDefinition<_mediashar_v1_SendControlRequest__Input, _mediashar_v1_SendControlResponse__Input, _mediashar_v1_SendControlRequest, _mediashar_v1_SendControlResponse>
  SubscribeDonationEvents: MethodDefinition<_mediashar_v1_SubscribeDonationEventsRequest__Input, _mediashar_v1_DonationEvent__Input, _mediashar_v1_SubscribeDonationEventsRequest, _mediashar_v1_DonationEvent>
}
