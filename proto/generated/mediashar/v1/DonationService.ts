// Original file: proto/mediashar/v1/donation.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ClaimMediaShareClipRequest__Input as _mediashar_v1_ClaimMediaShareClipRequest__Input, ClaimMediaShareClipRequest as _mediashar_v1_ClaimMediaShareClipRequest } from '../../mediashar/v1/ClaimMediaShareClipRequest.js';
import type { ClaimMediaShareClipResponse__Input as _mediashar_v1_ClaimMediaShareClipResponse__Input, ClaimMediaShareClipResponse as _mediashar_v1_ClaimMediaShareClipResponse } from '../../mediashar/v1/ClaimMediaShareClipResponse.js';
import type { CreateDonationRequest__Input as _mediashar_v1_CreateDonationRequest__Input, CreateDonationRequest as _mediashar_v1_CreateDonationRequest } from '../../mediashar/v1/CreateDonationRequest.js';
import type { CreateDonationResponse__Input as _mediashar_v1_CreateDonationResponse__Input, CreateDonationResponse as _mediashar_v1_CreateDonationResponse } from '../../mediashar/v1/CreateDonationResponse.js';
import type { Donation__Input as _mediashar_v1_Donation__Input, Donation as _mediashar_v1_Donation } from '../../mediashar/v1/Donation.js';
import type { DonationEvent__Input as _mediashar_v1_DonationEvent__Input, DonationEvent as _mediashar_v1_DonationEvent } from '../../mediashar/v1/DonationEvent.js';
import type { DonationStats__Input as _mediashar_v1_DonationStats__Input, DonationStats as _mediashar_v1_DonationStats } from '../../mediashar/v1/DonationStats.js';
import type { FinishMediaShareClipRequest__Input as _mediashar_v1_FinishMediaShareClipRequest__Input, FinishMediaShareClipRequest as _mediashar_v1_FinishMediaShareClipRequest } from '../../mediashar/v1/FinishMediaShareClipRequest.js';
import type { FinishMediaShareClipResponse__Input as _mediashar_v1_FinishMediaShareClipResponse__Input, FinishMediaShareClipResponse as _mediashar_v1_FinishMediaShareClipResponse } from '../../mediashar/v1/FinishMediaShareClipResponse.js';
import type { GetDonationRequest__Input as _mediashar_v1_GetDonationRequest__Input, GetDonationRequest as _mediashar_v1_GetDonationRequest } from '../../mediashar/v1/GetDonationRequest.js';
import type { GetMediaShareStatusRequest__Input as _mediashar_v1_GetMediaShareStatusRequest__Input, GetMediaShareStatusRequest as _mediashar_v1_GetMediaShareStatusRequest } from '../../mediashar/v1/GetMediaShareStatusRequest.js';
import type { GetStatsRequest__Input as _mediashar_v1_GetStatsRequest__Input, GetStatsRequest as _mediashar_v1_GetStatsRequest } from '../../mediashar/v1/GetStatsRequest.js';
import type { ListDonationsRequest__Input as _mediashar_v1_ListDonationsRequest__Input, ListDonationsRequest as _mediashar_v1_ListDonationsRequest } from '../../mediashar/v1/ListDonationsRequest.js';
import type { ListDonationsResponse__Input as _mediashar_v1_ListDonationsResponse__Input, ListDonationsResponse as _mediashar_v1_ListDonationsResponse } from '../../mediashar/v1/ListDonationsResponse.js';
import type { ListMediaShareQueueRequest__Input as _mediashar_v1_ListMediaShareQueueRequest__Input, ListMediaShareQueueRequest as _mediashar_v1_ListMediaShareQueueRequest } from '../../mediashar/v1/ListMediaShareQueueRequest.js';
import type { MediaShareCommandRequest__Input as _mediashar_v1_MediaShareCommandRequest__Input, MediaShareCommandRequest as _mediashar_v1_MediaShareCommandRequest } from '../../mediashar/v1/MediaShareCommandRequest.js';
import type { MediaShareCommandResponse__Input as _mediashar_v1_MediaShareCommandResponse__Input, MediaShareCommandResponse as _mediashar_v1_MediaShareCommandResponse } from '../../mediashar/v1/MediaShareCommandResponse.js';
import type { MediaShareQueue__Input as _mediashar_v1_MediaShareQueue__Input, MediaShareQueue as _mediashar_v1_MediaShareQueue } from '../../mediashar/v1/MediaShareQueue.js';
import type { MediaShareStatus__Input as _mediashar_v1_MediaShareStatus__Input, MediaShareStatus as _mediashar_v1_MediaShareStatus } from '../../mediashar/v1/MediaShareStatus.js';
import type { ReviewDonationMessageRequest__Input as _mediashar_v1_ReviewDonationMessageRequest__Input, ReviewDonationMessageRequest as _mediashar_v1_ReviewDonationMessageRequest } from '../../mediashar/v1/ReviewDonationMessageRequest.js';
import type { StreamDonationEventsRequest__Input as _mediashar_v1_StreamDonationEventsRequest__Input, StreamDonationEventsRequest as _mediashar_v1_StreamDonationEventsRequest } from '../../mediashar/v1/StreamDonationEventsRequest.js';

export interface DonationServiceClient extends grpc.Client {
  ClaimMediaShareClip(argument: _mediashar_v1_ClaimMediaShareClipRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_ClaimMediaShareClipResponse>): grpc.ClientUnaryCall;
  ClaimMediaShareClip(argument: _mediashar_v1_ClaimMediaShareClipRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_ClaimMediaShareClipResponse>): grpc.ClientUnaryCall;
  ClaimMediaShareClip(argument: _mediashar_v1_ClaimMediaShareClipRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_ClaimMediaShareClipResponse>): grpc.ClientUnaryCall;
  ClaimMediaShareClip(argument: _mediashar_v1_ClaimMediaShareClipRequest__Input, callback: grpc.requestCallback<_mediashar_v1_ClaimMediaShareClipResponse>): grpc.ClientUnaryCall;
  claimMediaShareClip(argument: _mediashar_v1_ClaimMediaShareClipRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_ClaimMediaShareClipResponse>): grpc.ClientUnaryCall;
  claimMediaShareClip(argument: _mediashar_v1_ClaimMediaShareClipRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_ClaimMediaShareClipResponse>): grpc.ClientUnaryCall;
  claimMediaShareClip(argument: _mediashar_v1_ClaimMediaShareClipRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_ClaimMediaShareClipResponse>): grpc.ClientUnaryCall;
  claimMediaShareClip(argument: _mediashar_v1_ClaimMediaShareClipRequest__Input, callback: grpc.requestCallback<_mediashar_v1_ClaimMediaShareClipResponse>): grpc.ClientUnaryCall;
  
  CreateDonation(argument: _mediashar_v1_CreateDonationRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_CreateDonationResponse>): grpc.ClientUnaryCall;
  CreateDonation(argument: _mediashar_v1_CreateDonationRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_CreateDonationResponse>): grpc.ClientUnaryCall;
  CreateDonation(argument: _mediashar_v1_CreateDonationRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_CreateDonationResponse>): grpc.ClientUnaryCall;
  CreateDonation(argument: _mediashar_v1_CreateDonationRequest__Input, callback: grpc.requestCallback<_mediashar_v1_CreateDonationResponse>): grpc.ClientUnaryCall;
  createDonation(argument: _mediashar_v1_CreateDonationRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_CreateDonationResponse>): grpc.ClientUnaryCall;
  createDonation(argument: _mediashar_v1_CreateDonationRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_CreateDonationResponse>): grpc.ClientUnaryCall;
  createDonation(argument: _mediashar_v1_CreateDonationRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_CreateDonationResponse>): grpc.ClientUnaryCall;
  createDonation(argument: _mediashar_v1_CreateDonationRequest__Input, callback: grpc.requestCallback<_mediashar_v1_CreateDonationResponse>): grpc.ClientUnaryCall;
  
  ExportDonations(argument: _mediashar_v1_ListDonationsRequest__Input, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_mediashar_v1_Donation>;
  ExportDonations(argument: _mediashar_v1_ListDonationsRequest__Input, options?: grpc.CallOptions): grpc.ClientReadableStream<_mediashar_v1_Donation>;
  exportDonations(argument: _mediashar_v1_ListDonationsRequest__Input, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_mediashar_v1_Donation>;
  exportDonations(argument: _mediashar_v1_ListDonationsRequest__Input, options?: grpc.CallOptions): grpc.ClientReadableStream<_mediashar_v1_Donation>;
  
  FinishMediaShareClip(argument: _mediashar_v1_FinishMediaShareClipRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_FinishMediaShareClipResponse>): grpc.ClientUnaryCall;
  FinishMediaShareClip(argument: _mediashar_v1_FinishMediaShareClipRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_FinishMediaShareClipResponse>): grpc.ClientUnaryCall;
  FinishMediaShareClip(argument: _mediashar_v1_FinishMediaShareClipRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_FinishMediaShareClipResponse>): grpc.ClientUnaryCall;
  FinishMediaShareClip(argument: _mediashar_v1_FinishMediaShareClipRequest__Input, callback: grpc.requestCallback<_mediashar_v1_FinishMediaShareClipResponse>): grpc.ClientUnaryCall;
  finishMediaShareClip(argument: _mediashar_v1_FinishMediaShareClipRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_FinishMediaShareClipResponse>): grpc.ClientUnaryCall;
  finishMediaShareClip(argument: _mediashar_v1_FinishMediaShareClipRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_FinishMediaShareClipResponse>): grpc.ClientUnaryCall;
  finishMediaShareClip(argument: _mediashar_v1_FinishMediaShareClipRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_FinishMediaShareClipResponse>): grpc.ClientUnaryCall;
  finishMediaShareClip(argument: _mediashar_v1_FinishMediaShareClipRequest__Input, callback: grpc.requestCallback<_mediashar_v1_FinishMediaShareClipResponse>): grpc.ClientUnaryCall;
  
  GetDonation(argument: _mediashar_v1_GetDonationRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_Donation>): grpc.ClientUnaryCall;
  GetDonation(argument: _mediashar_v1_GetDonationRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_Donation>): grpc.ClientUnaryCall;
  GetDonation(argument: _mediashar_v1_GetDonationRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_Donation>): grpc.ClientUnaryCall;
  GetDonation(argument: _mediashar_v1_GetDonationRequest__Input, callback: grpc.requestCallback<_mediashar_v1_Donation>): grpc.ClientUnaryCall;
  getDonation(argument: _mediashar_v1_GetDonationRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_Donation>): grpc.ClientUnaryCall;
  getDonation(argument: _mediashar_v1_GetDonationRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_Donation>): grpc.ClientUnaryCall;
  getDonation(argument: _mediashar_v1_GetDonationRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_Donation>): grpc.ClientUnaryCall;
  getDonation(argument: _mediashar_v1_GetDonationRequest__Input, callback: grpc.requestCallback<_mediashar_v1_Donation>): grpc.ClientUnaryCall;
  
  GetMediaShareStatus(argument: _mediashar_v1_GetMediaShareStatusRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_MediaShareStatus>): grpc.ClientUnaryCall;
  GetMediaShareStatus(argument: _mediashar_v1_GetMediaShareStatusRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_MediaShareStatus>): grpc.ClientUnaryCall;
  GetMediaShareStatus(argument: _mediashar_v1_GetMediaShareStatusRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_MediaShareStatus>): grpc.ClientUnaryCall;
  GetMediaShareStatus(argument: _mediashar_v1_GetMediaShareStatusRequest__Input, callback: grpc.requestCallback<_mediashar_v1_MediaShareStatus>): grpc.ClientUnaryCall;
  getMediaShareStatus(argument: _mediashar_v1_GetMediaShareStatusRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_MediaShareStatus>): grpc.ClientUnaryCall;
  getMediaShareStatus(argument: _mediashar_v1_GetMediaShareStatusRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_MediaShareStatus>): grpc.ClientUnaryCall;
  getMediaShareStatus(argument: _mediashar_v1_GetMediaShareStatusRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_MediaShareStatus>): grpc.ClientUnaryCall;
  getMediaShareStatus(argument: _mediashar_v1_GetMediaShareStatusRequest__Input, callback: grpc.requestCallback<_mediashar_v1_MediaShareStatus>): grpc.ClientUnaryCall;
  
  GetStats(argument: _mediashar_v1_GetStatsRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_DonationStats>): grpc.ClientUnaryCall;
  GetStats(argument: _mediashar_v1_GetStatsRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_DonationStats>): grpc.ClientUnaryCall;
  GetStats(argument: _mediashar_v1_GetStatsRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_DonationStats>): grpc.ClientUnaryCall;
  GetStats(argument: _mediashar_v1_GetStatsRequest__Input, callback: grpc.requestCallback<_mediashar_v1_DonationStats>): grpc.ClientUnaryCall;
  getStats(argument: _mediashar_v1_GetStatsRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_DonationStats>): grpc.ClientUnaryCall;
  getStats(argument: _mediashar_v1_GetStatsRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_DonationStats>): grpc.ClientUnaryCall;
  getStats(argument: _mediashar_v1_GetStatsRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_DonationStats>): grpc.ClientUnaryCall;
  getStats(argument: _mediashar_v1_GetStatsRequest__Input, callback: grpc.requestCallback<_mediashar_v1_DonationStats>): grpc.ClientUnaryCall;
  
  ListDonations(argument: _mediashar_v1_ListDonationsRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_ListDonationsResponse>): grpc.ClientUnaryCall;
  ListDonations(argument: _mediashar_v1_ListDonationsRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_ListDonationsResponse>): grpc.ClientUnaryCall;
  ListDonations(argument: _mediashar_v1_ListDonationsRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_ListDonationsResponse>): grpc.ClientUnaryCall;
  ListDonations(argument: _mediashar_v1_ListDonationsRequest__Input, callback: grpc.requestCallback<_mediashar_v1_ListDonationsResponse>): grpc.ClientUnaryCall;
  listDonations(argument: _mediashar_v1_ListDonationsRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_ListDonationsResponse>): grpc.ClientUnaryCall;
  listDonations(argument: _mediashar_v1_ListDonationsRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_ListDonationsResponse>): grpc.ClientUnaryCall;
  listDonations(argument: _mediashar_v1_ListDonationsRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_ListDonationsResponse>): grpc.ClientUnaryCall;
  listDonations(argument: _mediashar_v1_ListDonationsRequest__Input, callback: grpc.requestCallback<_mediashar_v1_ListDonationsResponse>): grpc.ClientUnaryCall;
  
  ListMediaShareQueue(argument: _mediashar_v1_ListMediaShareQueueRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_MediaShareQueue>): grpc.ClientUnaryCall;
  ListMediaShareQueue(argument: _mediashar_v1_ListMediaShareQueueRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_MediaShareQueue>): grpc.ClientUnaryCall;
  ListMediaShareQueue(argument: _mediashar_v1_ListMediaShareQueueRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_MediaShareQueue>): grpc.ClientUnaryCall;
  ListMediaShareQueue(argument: _mediashar_v1_ListMediaShareQueueRequest__Input, callback: grpc.requestCallback<_mediashar_v1_MediaShareQueue>): grpc.ClientUnaryCall;
  listMediaShareQueue(argument: _mediashar_v1_ListMediaShareQueueRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_MediaShareQueue>): grpc.ClientUnaryCall;
  listMediaShareQueue(argument: _mediashar_v1_ListMediaShareQueueRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_MediaShareQueue>): grpc.ClientUnaryCall;
  listMediaShareQueue(argument: _mediashar_v1_ListMediaShareQueueRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_MediaShareQueue>): grpc.ClientUnaryCall;
  listMediaShareQueue(argument: _mediashar_v1_ListMediaShareQueueRequest__Input, callback: grpc.requestCallback<_mediashar_v1_MediaShareQueue>): grpc.ClientUnaryCall;
  
  ReviewDonationMessage(argument: _mediashar_v1_ReviewDonationMessageRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_Donation>): grpc.ClientUnaryCall;
  ReviewDonationMessage(argument: _mediashar_v1_ReviewDonationMessageRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_Donation>): grpc.ClientUnaryCall;
  ReviewDonationMessage(argument: _mediashar_v1_ReviewDonationMessageRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_Donation>): grpc.ClientUnaryCall;
  ReviewDonationMessage(argument: _mediashar_v1_ReviewDonationMessageRequest__Input, callback: grpc.requestCallback<_mediashar_v1_Donation>): grpc.ClientUnaryCall;
  reviewDonationMessage(argument: _mediashar_v1_ReviewDonationMessageRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_Donation>): grpc.ClientUnaryCall;
  reviewDonationMessage(argument: _mediashar_v1_ReviewDonationMessageRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_Donation>): grpc.ClientUnaryCall;
  reviewDonationMessage(argument: _mediashar_v1_ReviewDonationMessageRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_Donation>): grpc.ClientUnaryCall;
  reviewDonationMessage(argument: _mediashar_v1_ReviewDonationMessageRequest__Input, callback: grpc.requestCallback<_mediashar_v1_Donation>): grpc.ClientUnaryCall;
  
  SendMediaShareCommand(argument: _mediashar_v1_MediaShareCommandRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_MediaShareCommandResponse>): grpc.ClientUnaryCall;
  SendMediaShareCommand(argument: _mediashar_v1_MediaShareCommandRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_MediaShareCommandResponse>): grpc.ClientUnaryCall;
  SendMediaShareCommand(argument: _mediashar_v1_MediaShareCommandRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_MediaShareCommandResponse>): grpc.ClientUnaryCall;
  SendMediaShareCommand(argument: _mediashar_v1_MediaShareCommandRequest__Input, callback: grpc.requestCallback<_mediashar_v1_MediaShareCommandResponse>): grpc.ClientUnaryCall;
  sendMediaShareCommand(argument: _mediashar_v1_MediaShareCommandRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_MediaShareCommandResponse>): grpc.ClientUnaryCall;
  sendMediaShareCommand(argument: _mediashar_v1_MediaShareCommandRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_MediaShareCommandResponse>): grpc.ClientUnaryCall;
  sendMediaShareCommand(argument: _mediashar_v1_MediaShareCommandRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_MediaShareCommandResponse>): grpc.ClientUnaryCall;
  sendMediaShareCommand(argument: _mediashar_v1_MediaShareCommandRequest__Input, callback: grpc.requestCallback<_mediashar_v1_MediaShareCommandResponse>): grpc.ClientUnaryCall;
  
  StreamDonationEvents(argument: _mediashar_v1_StreamDonationEventsRequest__Input, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_mediashar_v1_DonationEvent>;
  StreamDonationEvents(argument: _mediashar_v1_StreamDonationEventsRequest__Input, options?: grpc.CallOptions): grpc.ClientReadableStream<_mediashar_v1_DonationEvent>;
  streamDonationEvents(argument: _mediashar_v1_StreamDonationEventsRequest__Input, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_mediashar_v1_DonationEvent>;
  streamDonationEvents(argument: _mediashar_v1_StreamDonationEventsRequest__Input, options?: grpc.CallOptions): grpc.ClientReadableStream<_mediashar_v1_DonationEvent>;
  
}

export interface DonationServiceHandlers extends grpc.UntypedServiceImplementation {
  ClaimMediaShareClip: grpc.handleUnaryCall<_mediashar_v1_ClaimMediaShareClipRequest, _mediashar_v1_ClaimMediaShareClipResponse__Input>;
  
  CreateDonation: grpc.handleUnaryCall<_mediashar_v1_CreateDonationRequest, _mediashar_v1_CreateDonationResponse__Input>;
  
  ExportDonations: grpc.handleServerStreamingCall<_mediashar_v1_ListDonationsRequest, _mediashar_v1_Donation__Input>;
  
  FinishMediaShareClip: grpc.handleUnaryCall<_mediashar_v1_FinishMediaShareClipRequest, _mediashar_v1_FinishMediaShareClipResponse__Input>;
  
  GetDonation: grpc.handleUnaryCall<_mediashar_v1_GetDonationRequest, _mediashar_v1_Donation__Input>;
  
  GetMediaShareStatus: grpc.handleUnaryCall<_mediashar_v1_GetMediaShareStatusRequest, _mediashar_v1_MediaShareStatus__Input>;
  
  GetStats: grpc.handleUnaryCall<_mediashar_v1_GetStatsRequest, _mediashar_v1_DonationStats__Input>;
  
  ListDonations: grpc.handleUnaryCall<_mediashar_v1_ListDonationsRequest, _mediashar_v1_ListDonationsResponse__Input>;
  
  ListMediaShareQueue: grpc.handleUnaryCall<_mediashar_v1_ListMediaShareQueueRequest, _mediashar_v1_MediaShareQueue__Input>;
  
  ReviewDonationMessage: grpc.handleUnaryCall<_mediashar_v1_ReviewDonationMessageRequest, _mediashar_v1_Donation__Input>;
  
  SendMediaShareCommand: grpc.handleUnaryCall<_mediashar_v1_MediaShareCommandRequest, _mediashar_v1_MediaShareCommandResponse__Input>;
  
  StreamDonationEvents: grpc.handleServerStreamingCall<_mediashar_v1_StreamDonationEventsRequest, _mediashar_v1_DonationEvent__Input>;
  
}

export interface DonationServiceDefinition extends grpc.ServiceDefinition {
  ClaimMediaShareClip: MethodDefinition<_mediashar_v1_ClaimMediaShareClipRequest__Input, _mediashar_v1_ClaimMediaShareClipResponse__Input, _mediashar_v1_ClaimMediaShareClipRequest, _mediashar_v1_ClaimMediaShareClipResponse>
  CreateDonation: MethodDefinition<_mediashar_v1_CreateDonationRequest__Input, _mediashar_v1_CreateDonationResponse__Input, _mediashar_v1_CreateDonationRequest, _mediashar_v1_CreateDonationResponse>
  ExportDonations: MethodDefinition<_mediashar_v1_ListDonationsRequest__Input, _mediashar_v1_Donation__Input, _mediashar_v1_ListDonationsRequest, _mediashar_v1_Donation>
  FinishMediaShareClip: MethodDefinition<_mediashar_v1_FinishMediaShareClipRequest__Input, _mediashar_v1_FinishMediaShareClipResponse__Input, _mediashar_v1_FinishMediaShareClipRequest, _mediashar_v1_FinishMediaShareClipResponse>
  GetDonation: MethodDefinition<_mediashar_v1_GetDonationRequest__Input, _mediashar_v1_Donation__Input, _mediashar_v1_GetDonationRequest, _mediashar_v1_Donation>
  GetMediaShareStatus: MethodDefinition<_mediashar_v1_GetMediaShareStatusRequest__Input, _mediashar_v1_MediaShareStatus__Input, _mediashar_v1_GetMediaShareStatusRequest, _mediashar_v1_MediaShareStatus>
  GetStats: MethodDefinition<_mediashar_v1_GetStatsRequest__Input, _mediashar_v1_DonationStats__Input, _mediashar_v1_GetStatsRequest, _mediashar_v1_DonationStats>
  ListDonations: MethodDefinition<_mediashar_v1_ListDonationsRequest__Input, _mediashar_v1_ListDonationsResponse__Input, _mediashar_v1_ListDonationsRequest, _mediashar_v1_ListDonationsResponse>
  ListMediaShareQueue: MethodDefinition<_mediashar_v1_ListMediaShareQueueRequest__Input, _mediashar_v1_MediaShareQueue__Input, _mediashar_v1_ListMediaShareQueueRequest, _mediashar_v1_MediaShareQueue>
  ReviewDonationMessage: MethodDefinition<_mediashar_v1_ReviewDonationMessageRequest__Input, _mediashar_v1_Donation__Input, _mediashar_v1_ReviewDonationMessageRequest, _mediashar_v1_Donation>
  SendMediaShareCommand: MethodDefinition<_mediashar_v1_MediaShareCommandRequest__Input, _mediashar_v1_MediaShareCommandResponse__Input, _mediashar_v1_MediaShareCommandRequest, _mediashar_v1_MediaShareCommandResponse>
  StreamDonationEvents: MethodDefinition<_mediashar_v1_StreamDonationEventsRequest__Input, _mediashar_v1_DonationEvent__Input, _mediashar_v1_StreamDonationEventsRequest, _mediashar_v1_DonationEvent>
}
