// Original file: proto/mediashar/v1/donation.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateDonationRequest__Input as _mediashar_v1_CreateDonationRequest__Input, CreateDonationRequest as _mediashar_v1_CreateDonationRequest } from '../../mediashar/v1/CreateDonationRequest.js';
import type { CreateDonationResponse__Input as _mediashar_v1_CreateDonationResponse__Input, CreateDonationResponse as _mediashar_v1_CreateDonationResponse } from '../../mediashar/v1/CreateDonationResponse.js';
import type { Donation__Input as _mediashar_v1_Donation__Input, Donation as _mediashar_v1_Donation } from '../../mediashar/v1/Donation.js';
import type { DonationEvent__Input as _mediashar_v1_DonationEvent__Input, DonationEvent as _mediashar_v1_DonationEvent } from '../../mediashar/v1/DonationEvent.js';
import type { DonationStats__Input as _mediashar_v1_DonationStats__Input, DonationStats as _mediashar_v1_DonationStats } from '../../mediashar/v1/DonationStats.js';
import type { GetDonationRequest__Input as _mediashar_v1_GetDonationRequest__Input, GetDonationRequest as _mediashar_v1_GetDonationRequest } from '../../mediashar/v1/GetDonationRequest.js';
import type { GetStatsRequest__Input as _mediashar_v1_GetStatsRequest__Input, GetStatsRequest as _mediashar_v1_GetStatsRequest } from '../../mediashar/v1/GetStatsRequest.js';
import type { ListDonationsRequest__Input as _mediashar_v1_ListDonationsRequest__Input, ListDonationsRequest as _mediashar_v1_ListDonationsRequest } from '../../mediashar/v1/ListDonationsRequest.js';
import type { ListDonationsResponse__Input as _mediashar_v1_ListDonationsResponse__Input, ListDonationsResponse as _mediashar_v1_ListDonationsResponse } from '../../mediashar/v1/ListDonationsResponse.js';
import type { StreamDonationEventsRequest__Input as _mediashar_v1_StreamDonationEventsRequest__Input, StreamDonationEventsRequest as _mediashar_v1_StreamDonationEventsRequest } from '../../mediashar/v1/StreamDonationEventsRequest.js';

export interface DonationServiceClient extends grpc.Client {
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
  
  GetDonation(argument: _mediashar_v1_GetDonationRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_Donation>): grpc.ClientUnaryCall;
  GetDonation(argument: _mediashar_v1_GetDonationRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_Donation>): grpc.ClientUnaryCall;
  GetDonation(argument: _mediashar_v1_GetDonationRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_Donation>): grpc.ClientUnaryCall;
  GetDonation(argument: _mediashar_v1_GetDonationRequest__Input, callback: grpc.requestCallback<_mediashar_v1_Donation>): grpc.ClientUnaryCall;
  getDonation(argument: _mediashar_v1_GetDonationRequest__Input, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_Donation>): grpc.ClientUnaryCall;
  getDonation(argument: _mediashar_v1_GetDonationRequest__Input, metadata: grpc.Metadata, callback: grpc.requestCallback<_mediashar_v1_Donation>): grpc.ClientUnaryCall;
  getDonation(argument: _mediashar_v1_GetDonationRequest__Input, options: grpc.CallOptions, callback: grpc.requestCallback<_mediashar_v1_Donation>): grpc.ClientUnaryCall;
  getDonation(argument: _mediashar_v1_GetDonationRequest__Input, callback: grpc.requestCallback<_mediashar_v1_Donation>): grpc.ClientUnaryCall;
  
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
  
  StreamDonationEvents(argument: _mediashar_v1_StreamDonationEventsRequest__Input, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_mediashar_v1_DonationEvent>;
  StreamDonationEvents(argument: _mediashar_v1_StreamDonationEventsRequest__Input, options?: grpc.CallOptions): grpc.ClientReadableStream<_mediashar_v1_DonationEvent>;
  streamDonationEvents(argument: _mediashar_v1_StreamDonationEventsRequest__Input, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_mediashar_v1_DonationEvent>;
  streamDonationEvents(argument: _mediashar_v1_StreamDonationEventsRequest__Input, options?: grpc.CallOptions): grpc.ClientReadableStream<_mediashar_v1_DonationEvent>;
  
}

export interface DonationServiceHandlers extends grpc.UntypedServiceImplementation {
  CreateDonation: grpc.handleUnaryCall<_mediashar_v1_CreateDonationRequest, _mediashar_v1_CreateDonationResponse__Input>;
  
  ExportDonations: grpc.handleServerStreamingCall<_mediashar_v1_ListDonationsRequest, _mediashar_v1_Donation__Input>;
  
  GetDonation: grpc.handleUnaryCall<_mediashar_v1_GetDonationRequest, _mediashar_v1_Donation__Input>;
  
  GetStats: grpc.handleUnaryCall<_mediashar_v1_GetStatsRequest, _mediashar_v1_DonationStats__Input>;
  
  ListDonations: grpc.handleUnaryCall<_mediashar_v1_ListDonationsRequest, _mediashar_v1_ListDonationsResponse__Input>;
  
  StreamDonationEvents: grpc.handleServerStreamingCall<_mediashar_v1_StreamDonationEventsRequest, _mediashar_v1_DonationEvent__Input>;
  
}

export interface DonationServiceDefinition extends grpc.ServiceDefinition {
  CreateDonation: MethodDefinition<_mediashar_v1_CreateDonationRequest__Input, _mediashar_v1_CreateDonationResponse__Input, _mediashar_v1_CreateDonationRequest, _mediashar_v1_CreateDonationResponse>
  ExportDonations: MethodDefinition<_mediashar_v1_ListDonationsRequest__Input, _mediashar_v1_Donation__Input, _mediashar_v1_ListDonationsRequest, _mediashar_v1_Donation>
  GetDonation: MethodDefinition<_mediashar_v1_GetDonationRequest__Input, _mediashar_v1_Donation__Input, _mediashar_v1_GetDonationRequest, _mediashar_v1_Donation>
  GetStats: MethodDefinition<_mediashar_v1_GetStatsRequest__Input, _mediashar_v1_DonationStats__Input, _mediashar_v1_GetStatsRequest, _mediashar_v1_DonationStats>
  ListDonations: MethodDefinition<_mediashar_v1_ListDonationsRequest__Input, _mediashar_v1_ListDonationsResponse__Input, _mediashar_v1_ListDonationsRequest, _mediashar_v1_ListDonationsResponse>
  StreamDonationEvents: MethodDefinition<_mediashar_v1_StreamDonationEventsRequest__Input, _mediashar_v1_DonationEvent__Input, _mediashar_v1_StreamDonationEventsRequest, _mediashar_v1_DonationEvent>
}
