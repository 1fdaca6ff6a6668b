import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { ClaimMediaShareClipRequest__Input as _mediashar_v1_ClaimMediaShareClipRequest__Input, ClaimMediaShareClipRequest as _mediashar_v1_ClaimMediaShareClipRequest } from './mediashar/v1/ClaimMediaShareClipRequest.js';
import type { ClaimMediaShareClipResponse__Input as _mediashar_v1_ClaimMediaShareClipResponse__Input, ClaimMediaShareClipResponse as _mediashar_v1_ClaimMediaShareClipResponse } from './mediashar/v1/ClaimMediaShareClipResponse.js';
import type { CreateDonationRequest__Input as _mediashar_v1_CreateDonationRequest__Input, CreateDonationRequest as _mediashar_v1_CreateDonationRequest } from './mediashar/v1/CreateDonationRequest.js';
import type { CreateDonationResponse__Input as _mediashar_v1_CreateDonationResponse__Input, CreateDonationResponse as _mediashar_v1_CreateDonationResponse } from './mediashar/v1/CreateDonationResponse.js';
import type { CurrencyTotal__Input as _mediashar_v1_CurrencyTotal__Input, CurrencyTotal as _mediashar_v1_CurrencyTotal } from './mediashar/v1/CurrencyTotal.js';
import type { DayTotal__Input as _mediashar_v1_DayTotal__Input, DayTotal as _mediashar_v1_DayTotal } from './mediashar/v1/DayTotal.js';
import type { Donation__Input as _mediashar_v1_Donation__Input, Donation as _mediashar_v1_Donation } from './mediashar/v1/Donation.js';
import type { DonationEvent__Input as _mediashar_v1_DonationEvent__Input, DonationEvent as _mediashar_v1_DonationEvent } from './mediashar/v1/DonationEvent.js';
import type { DonationServiceClient as _mediashar_v1_DonationServiceClient, DonationServiceDefinition as _mediashar_v1_DonationServiceDefinition } from './mediashar/v1/DonationService.js';
import type { DonationStats__Input as _mediashar_v1_DonationStats__Input, DonationStats as _mediashar_v1_DonationStats } from './mediashar/v1/DonationStats.js';
import type { FinishMediaShareClipRequest__Input as _mediashar_v1_FinishMediaShareClipRequest__Input, FinishMediaShareClipRequest as _mediashar_v1_FinishMediaShareClipRequest } from './mediashar/v1/FinishMediaShareClipRequest.js';
import type { FinishMediaShareClipResponse__Input as _mediashar_v1_FinishMediaShareClipResponse__Input, FinishMediaShareClipResponse as _mediashar_v1_FinishMediaShareClipResponse } from './mediashar/v1/FinishMediaShareClipResponse.js';
import type { GetDonationRequest__Input as _mediashar_v1_GetDonationRequest__Input, GetDonationRequest as _mediashar_v1_GetDonationRequest } from './mediashar/v1/GetDonationRequest.js';
import type { GetMediaShareStatusRequest__Input as _mediashar_v1_GetMediaShareStatusRequest__Input, GetMediaShareStatusRequest as _mediashar_v1_GetMediaShareStatusRequest } from './mediashar/v1/GetMediaShareStatusRequest.js';
import type { GetStatsRequest__Input as _mediashar_v1_GetStatsRequest__Input, GetStatsRequest as _mediashar_v1_GetStatsRequest } from './mediashar/v1/GetStatsRequest.js';
import type { ListDonationsRequest__Input as _mediashar_v1_ListDonationsRequest__Input, ListDonationsRequest as _mediashar_v1_ListDonationsRequest } from './mediashar/v1/ListDonationsRequest.js';
import type { ListDonationsResponse__Input as _mediashar_v1_ListDonationsResponse__Input, ListDonationsResponse as _mediashar_v1_ListDonationsResponse } from './mediashar/v1/ListDonationsResponse.js';
import type { ListMediaShareQueueRequest__Input as _mediashar_v1_ListMediaShareQueueRequest__Input, ListMediaShareQueueRequest as _mediashar_v1_ListMediaShareQueueRequest } from './mediashar/v1/ListMediaShareQueueRequest.js';
import type { MediaShare__Input as _mediashar_v1_MediaShare__Input, MediaShare as _mediashar_v1_MediaShare } from './mediashar/v1/MediaShare.js';
import type { MediaShareClip__Input as _mediashar_v1_MediaShareClip__Input, MediaShareClip as _mediashar_v1_MediaShareClip } from './mediashar/v1/MediaShareClip.js';
import type { MediaShareCommandRequest__Input as _mediashar_v1_MediaShareCommandRequest__Input, MediaShareCommandRequest as _mediashar_v1_MediaShareCommandRequest } from './mediashar/v1/MediaShareCommandRequest.js';
import type { MediaShareCommandResponse__Input as _mediashar_v1_MediaShareCommandResponse__Input, MediaShareCommandResponse as _mediashar_v1_MediaShareCommandResponse } from './mediashar/v1/MediaShareCommandResponse.js';
import type { MediaShareQueue__Input as _mediashar_v1_MediaShareQueue__Input, MediaShareQueue as _mediashar_v1_MediaShareQueue } from './mediashar/v1/MediaShareQueue.js';
import type { MediaShareStatus__Input as _mediashar_v1_MediaShareStatus__Input, MediaShareStatus as _mediashar_v1_MediaShareStatus } from './mediashar/v1/MediaShareStatus.js';
import type { Money__Input as _mediashar_v1_Money__Input, Money as _mediashar_v1_Money } from './mediashar/v1/Money.js';
import type { ProviderTotal__Input as _mediashar_v1_ProviderTotal__Input, ProviderTotal as _mediashar_v1_ProviderTotal } from './mediashar/v1/ProviderTotal.js';
import type { ReviewDonationMessageRequest__Input as _mediashar_v1_ReviewDonationMessageRequest__Input, ReviewDonationMessageRequest as _mediashar_v1_ReviewDonationMessageRequest } from './mediashar/v1/ReviewDonationMessageRequest.js';
import type { StreamDonationEventsRequest__Input as _mediashar_v1_StreamDonationEventsRequest__Input, StreamDonationEventsRequest as _mediashar_v1_StreamDonationEventsRequest } from './mediashar/v1/StreamDonationEventsRequest.js';
import type { TopDonor__Input as _mediashar_v1_TopDonor__Input, TopDonor as _mediashar_v1_TopDonor } from './mediashar/v1/TopDonor.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  mediashar: {
    v1: {
      ClaimMediaShareClipRequest: MessageTypeDefinition<_mediashar_v1_ClaimMediaShareClipRequest__Input, _mediashar_v1_ClaimMediaShareClipRequest>
      ClaimMediaShareClipResponse: MessageTypeDefinition<_mediashar_v1_ClaimMediaShareClipResponse__Input, _mediashar_v1_ClaimMediaShareClipResponse>
      CreateDonationRequest: MessageTypeDefinition<_mediashar_v1_CreateDonationRequest__Input, _mediashar_v1_CreateDonationRequest>
      CreateDonationResponse: MessageTypeDefinition<_mediashar_v1_CreateDonationResponse__Input, _mediashar_v1_CreateDonationResponse>
      CurrencyTotal: MessageTypeDefinition<_mediashar_v1_CurrencyTotal__Input, _mediashar_v1_CurrencyTotal>
      DayTotal: MessageTypeDefinition<_mediashar_v1_DayTotal__Input, _mediashar_v1_DayTotal>
      Donation: MessageTypeDefinition<_mediashar_v1_Donation__Input, _mediashar_v1_Donation>
      DonationEvent: MessageTypeDefinition<_mediashar_v1_DonationEvent__Input, _mediashar_v1_DonationEvent>
      DonationService: SubtypeConstructor<typeof grpc.Client, _mediashar_v1_DonationServiceClient> & { service: _mediashar_v1_DonationServiceDefinition }
      DonationStats: MessageTypeDefinition<_mediashar_v1_DonationStats__Input, _mediashar_v1_DonationStats>
      FinishMediaShareClipRequest: MessageTypeDefinition<_mediashar_v1_FinishMediaShareClipRequest__Input, _mediashar_v1_FinishMediaShareClipRequest>
      FinishMediaShareClipResponse: MessageTypeDefinition<_mediashar_v1_FinishMediaShareClipResponse__Input, _mediashar_v1_FinishMediaShareClipResponse>
      GetDonationRequest: MessageTypeDefinition<_mediashar_v1_GetDonationRequest__Input, _mediashar_v1_GetDonationRequest>
      GetMediaShareStatusRequest: MessageTypeDefinition<_mediashar_v1_GetMediaShareStatusRequest__Input, _mediashar_v1_GetMediaShareStatusRequest>
      GetStatsRequest: MessageTypeDefinition<_mediashar_v1_GetStatsRequest__Input, _mediashar_v1_GetStatsRequest>
      ListDonationsRequest: MessageTypeDefinition<_mediashar_v1_ListDonationsRequest__Input, _mediashar_v1_ListDonationsRequest>
      ListDonationsResponse: MessageTypeDefinition<_mediashar_v1_ListDonationsResponse__Input, _mediashar_v1_ListDonationsResponse>
      ListMediaShareQueueRequest: MessageTypeDefinition<_mediashar_v1_ListMediaShareQueueRequest__Input, _mediashar_v1_ListMediaShareQueueRequest>
      MediaShare: MessageTypeDefinition<_mediashar_v1_MediaShare__Input, _mediashar_v1_MediaShare>
      MediaShareClip: MessageTypeDefinition<_mediashar_v1_MediaShareClip__Input, _mediashar_v1_MediaShareClip>
      MediaShareCommandRequest: MessageTypeDefinition<_mediashar_v1_MediaShareCommandRequest__Input, _mediashar_v1_MediaShareCommandRequest>
      MediaShareCommandResponse: MessageTypeDefinition<_mediashar_v1_MediaShareCommandResponse__Input, _mediashar_v1_MediaShareCommandResponse>
      MediaShareQueue: MessageTypeDefinition<_mediashar_v1_MediaShareQueue__Input, _mediashar_v1_MediaShareQueue>
      MediaShareStatus: MessageTypeDefinition<_mediashar_v1_MediaShareStatus__Input, _mediashar_v1_MediaShareStatus>
      Money: MessageTypeDefinition<_mediashar_v1_Money__Input, _mediashar_v1_Money>
      ProviderTotal: MessageTypeDefinition<_mediashar_v1_ProviderTotal__Input, _mediashar_v1_ProviderTotal>
      ReviewDonationMessageRequest: MessageTypeDefinition<_mediashar_v1_ReviewDonationMessageRequest__Input, _mediashar_v1_ReviewDonationMessageRequest>
      StreamDonationEventsRequest: MessageTypeDefinition<_mediashar_v1_StreamDonationEventsRequest__Input, _mediashar_v1_StreamDonationEventsRequest>
      TopDonor: MessageTypeDefinition<_mediashar_v1_TopDonor__Input, _mediashar_v1_TopDonor>
    }
  }
}

