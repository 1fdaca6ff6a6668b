import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { ConnectedOverlay__Input as _mediashar_v1_ConnectedOverlay__Input, ConnectedOverlay as _mediashar_v1_ConnectedOverlay } from './mediashar/v1/ConnectedOverlay.js';
import type { DisconnectOverlaysRequest__Input as _mediashar_v1_DisconnectOverlaysRequest__Input, DisconnectOverlaysRequest as _mediashar_v1_DisconnectOverlaysRequest } from './mediashar/v1/DisconnectOverlaysRequest.js';
import type { DisconnectOverlaysResponse__Input as _mediashar_v1_DisconnectOverlaysResponse__Input, DisconnectOverlaysResponse as _mediashar_v1_DisconnectOverlaysResponse } from './mediashar/v1/DisconnectOverlaysResponse.js';
import type { DonationEvent__Input as _mediashar_v1_DonationEvent__Input, DonationEvent as _mediashar_v1_DonationEvent } from './mediashar/v1/DonationEvent.js';
import type { GetOverlayStatusRequest__Input as _mediashar_v1_GetOverlayStatusRequest__Input, GetOverlayStatusRequest as _mediashar_v1_GetOverlayStatusRequest } from './mediashar/v1/GetOverlayStatusRequest.js';
import type { MediaShare__Input as _mediashar_v1_MediaShare__Input, MediaShare as _mediashar_v1_MediaShare } from './mediashar/v1/MediaShare.js';
import type { Money__Input as _mediashar_v1_Money__Input, Money as _mediashar_v1_Money } from './mediashar/v1/Money.js';
import type { NotificationServiceClient as _mediashar_v1_NotificationServiceClient, NotificationServiceDefinition as _mediashar_v1_NotificationServiceDefinition } from './mediashar/v1/NotificationService.js';
import type { OverlayStatus__Input as _mediashar_v1_OverlayStatus__Input, OverlayStatus as _mediashar_v1_OverlayStatus } from './mediashar/v1/OverlayStatus.js';
import type { PublishAlertRequest__Input as _mediashar_v1_PublishAlertRequest__Input, PublishAlertRequest as _mediashar_v1_PublishAlertRequest } from './mediashar/v1/PublishAlertRequest.js';
import type { PublishAlertResponse__Input as _mediashar_v1_PublishAlertResponse__Input, PublishAlertResponse as _mediashar_v1_PublishAlertResponse } from './mediashar/v1/PublishAlertResponse.js';
import type { SendControlRequest__Input as _mediashar_v1_SendControlRequest__Input, SendControlRequest as _mediashar_v1_SendControlRequest } from './mediashar/v1/SendControlRequest.js';
import type { SendControlResponse__Input as _mediashar_v1_SendControlResponse__Input, SendControlResponse as _mediashar_v1_SendControlResponse } from './mediashar/v1/SendControlResponse.js';
import type { SubscribeDonationEventsRequest__Input as _mediashar_v1_SubscribeDonationEventsRequest__Input, SubscribeDonationEventsRequest as _mediashar_v1_SubscribeDonationEventsRequest } from './mediashar/v1/SubscribeDonationEventsRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  mediashar: {
    v1: {
      ConnectedOverlay: MessageTypeDefinition<_mediashar_v1_ConnectedOverlay__Input, _mediashar_v1_ConnectedOverlay>
      DisconnectOverlaysRequest: MessageTypeDefinition<_mediashar_v1_DisconnectOverlaysRequest__Input, _mediashar_v1_DisconnectOverlaysRequest>
      DisconnectOverlaysResponse: MessageTypeDefinition<_mediashar_v1_DisconnectOverlaysResponse__Input, _mediashar_v1_DisconnectOverlaysResponse>
      DonationEvent: MessageTypeDefinition<_mediashar_v1_DonationEvent__Input, _mediashar_v1_DonationEvent>
      GetOverlayStatusRequest: MessageTypeDefinition<_mediashar_v1_GetOverlayStatusRequest__Input, _mediashar_v1_GetOverlayStatusRequest>
      MediaShare: MessageTypeDefinition<_mediashar_v1_MediaShare__Input, _mediashar_v1_MediaShare>
      Money: MessageTypeDefinition<_mediashar_v1_Money__Input, _mediashar_v1_Money>
      NotificationService: SubtypeConstructor<typeof grpc.Client, _mediashar_v1_NotificationServiceClient> & { service: _mediashar_v1_NotificationServiceDefinition }
      OverlayStatus: MessageTypeDefinition<_mediashar_v1_OverlayStatus__Input, _mediashar_v1_OverlayStatus>
      PublishAlertRequest: MessageTypeDefinition<_mediashar_v1_PublishAlertRequest__Input, _mediashar_v1_PublishAlertRequest>
      PublishAlertResponse: MessageTypeDefinition<_mediashar_v1_PublishAlertResponse__Input, _mediashar_v1_PublishAlertResponse>
      SendControlRequest: MessageTypeDefinition<_mediashar_v1_SendControlRequest__Input, _mediashar_v1_SendControlRequest>
      SendControlResponse: MessageTypeDefinition<_mediashar_v1_SendControlResponse__Input, _mediashar_v1_SendControlResponse>
      SubscribeDonationEventsRequest: MessageTypeDefinition<_mediashar_v1_SubscribeDonationEventsRequest__Input, _mediashar_v1_SubscribeDonationEventsRequest>
    }
  }
}

